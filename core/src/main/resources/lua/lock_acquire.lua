-- Takes a Redisson-compatible lock (the RLock hash: field "<client id>:<thread id>" -> hold count,
-- expiring with the lease) and hands out its fencing token in the same step.
-- KEYS[1] lock hash, KEYS[2] fencing sequence, KEYS[3] count of processes waiting
-- ARGV[1] lease ms, ARGV[2] holder field, ARGV[3] '1' to count this caller among the waiters if it
-- has to wait
-- Returns {token} when taken, else {-1, pttl of the current hold}.
if redis.call('exists', KEYS[1]) == 0 or redis.call('hexists', KEYS[1], ARGV[2]) == 1 then
  redis.call('hincrby', KEYS[1], ARGV[2], 1)
  redis.call('pexpire', KEYS[1], ARGV[1])
  return {redis.call('incr', KEYS[2])}
end
if ARGV[3] == '1' then
  redis.call('incr', KEYS[3])
  redis.call('pexpire', KEYS[3], 60000)
end
return {-1, redis.call('pttl', KEYS[1])}
