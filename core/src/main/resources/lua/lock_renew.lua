-- The watchdog: extends the lease of a lock ARGV[2] still holds (as Redisson's renewal does).
-- KEYS[1] lock hash; ARGV[1] lease ms, ARGV[2] holder field. Returns {1} if renewed, {0} if not held.
if redis.call('hexists', KEYS[1], ARGV[2]) == 1 then
  redis.call('pexpire', KEYS[1], ARGV[1])
  return {1}
end
return {0}
