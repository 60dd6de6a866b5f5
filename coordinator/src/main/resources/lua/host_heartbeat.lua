-- Registers one coordinator for ttl ms and lists the live ones (their reports).
-- KEYS[1] set of host ids, KEYS[2] this host's report key (expires after the ttl)
-- ARGV[1] host id, ARGV[2] report (JSON), ARGV[3] ttl ms, ARGV[4] prefix of report keys
-- Report keys share KEYS[1]'s hash tag, so Cluster keeps them in its slot.
redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('sadd', KEYS[1], ARGV[1])
local live = {}
for _, id in ipairs(redis.call('smembers', KEYS[1])) do
  local report = redis.call('get', ARGV[4] .. id)
  if report then
    table.insert(live, report)
  else
    redis.call('srem', KEYS[1], id)
  end
end
return live
