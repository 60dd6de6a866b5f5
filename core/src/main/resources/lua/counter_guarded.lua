-- A counter write made under the lock, checked in one step against both the lock and the fence.
-- KEYS[1] lock hash, KEYS[2] counter value, KEYS[3] newest accepted token
-- ARGV[1] the writer's field in the lock hash, ARGV[2] its fencing token,
-- ARGV[3] 'set' or 'add', ARGV[4] the value or delta
-- Returns {1, new value}; {-1} if the writer no longer holds the lock; {-2} if a newer token
-- was accepted (a later holder or a fast-path write came first).
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then
  return {-1}
end
local token = tonumber(ARGV[2])
local accepted = tonumber(redis.call('get', KEYS[3]) or '0')
if token < accepted then
  return {-2}
end
redis.call('set', KEYS[3], token)
if ARGV[3] == 'add' then
  return {1, redis.call('incrby', KEYS[2], ARGV[4])}
end
redis.call('set', KEYS[2], ARGV[4])
return {1, tonumber(ARGV[4])}
