-- The counter fast path: one atomic step that honours the lock guarding the counter.
-- KEYS[1] lock hash, KEYS[2] fencing sequence, KEYS[3] counter value, KEYS[4] newest accepted token
-- ARGV[1] operation: 'add' (ARGV[2] = delta) or 'cas' (ARGV[2] = expected, ARGV[3] = new value)
-- Returns {0} while anyone holds the lock (the caller then takes the lock itself),
-- else {1, new value} for 'add' and {1, 1 or 0} for 'cas'.
-- Every write takes a token from the lock's sequence, so a lock holder whose lease ran out
-- meanwhile cannot overwrite it later (its token is older than the accepted one).
if redis.call('exists', KEYS[1]) == 1 then
  return {0}
end
local token = redis.call('incr', KEYS[2])
if ARGV[1] == 'add' then
  redis.call('set', KEYS[4], token)
  return {1, redis.call('incrby', KEYS[3], ARGV[2])}
end
local current = tonumber(redis.call('get', KEYS[3]) or '0')
if current ~= tonumber(ARGV[2]) then
  return {1, 0}
end
redis.call('set', KEYS[4], token)
redis.call('set', KEYS[3], ARGV[3])
return {1, 1}
