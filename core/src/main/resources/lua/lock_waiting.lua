-- A process starts (ARGV[1] = 1) or stops (ARGV[1] = -1) waiting for the lock.
-- KEYS[1] count of processes waiting (expires, so a crashed waiter is forgotten). Returns {count}.
local count = redis.call('incrby', KEYS[1], ARGV[1])
if count <= 0 then
  redis.call('del', KEYS[1])
  return {0}
end
redis.call('pexpire', KEYS[1], 60000)
return {count}
