-- Releases a Redisson-compatible lock held by ARGV[1], tells plain Redisson waiters (its unlock
-- message on its channel) and wakes one taskpool waiter (a token on the handoff list).
-- KEYS[1] lock hash, KEYS[2] Redisson's unlock channel, KEYS[3] count of processes waiting,
-- KEYS[4] handoff list
-- ARGV[1] holder field
-- Returns {1}, or {-1} if ARGV[1] did not hold the lock (its lease ran out).
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then
  return {-1}
end
redis.call('del', KEYS[1])
redis.call('publish', KEYS[2], 0)
local waiting = tonumber(redis.call('get', KEYS[3]) or '0')
if waiting > 0 and redis.call('llen', KEYS[4]) < waiting then
  redis.call('rpush', KEYS[4], '1')
  redis.call('pexpire', KEYS[4], 60000)
end
return {1}
