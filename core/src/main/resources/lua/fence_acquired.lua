-- Hands a fencing token to a holder that just took the Redisson lock.
-- KEYS[1] lock hash (Redisson RLock), KEYS[2] fencing sequence
-- ARGV[1] the holder's field in the lock hash ("<redisson id>:<thread id>")
-- Returns {new token}, or {-1} if the holder no longer holds the lock (its lease ran out).
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then
  return {-1}
end
return {redis.call('incr', KEYS[2])}
