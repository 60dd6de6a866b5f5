-- Replaces a hash, made under the lock, checked in one step against both the lock and the fence.
-- KEYS[1] lock hash, KEYS[2] the map (hash), KEYS[3] newest accepted token
-- ARGV[1] the writer's field in the lock hash, ARGV[2] its fencing token, ARGV[3..] field, value, ...
-- Returns {1}; {-1} if the writer no longer holds the lock; {-2} if a newer token was accepted.
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then
  return {-1}
end
local token = tonumber(ARGV[2])
if token < tonumber(redis.call('get', KEYS[3]) or '0') then
  return {-2}
end
redis.call('set', KEYS[3], token)
redis.call('del', KEYS[2])
for i = 3, #ARGV, 2 do
  redis.call('hset', KEYS[2], ARGV[i], ARGV[i + 1])
end
return {1}
