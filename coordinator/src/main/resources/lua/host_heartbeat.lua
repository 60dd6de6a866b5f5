-- Registers one coordinator for ttl ms and lists the live ones (their reports), pruning the dead.
-- KEYS[1] set of host ids, KEYS[2] this host's report key (expires after the ttl),
-- KEYS[2 + i] the report key of host ARGV[3 + i], for each member the caller read from KEYS[1].
-- ARGV[1] host id, ARGV[2] report (JSON), ARGV[3] ttl ms, ARGV[4..] the members' ids.
-- Every key comes in KEYS, all under one hash tag, so Cluster routes the script to their one slot
-- and ACL key patterns apply to each.
if #KEYS - 2 ~= #ARGV - 3 then
  return redis.error_reply('host_heartbeat: ' .. (#KEYS - 2) .. ' report keys for ' .. (#ARGV - 3) .. ' host ids')
end
redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('sadd', KEYS[1], ARGV[1])
local live = {ARGV[2]}
for i = 3, #KEYS do
  local id = ARGV[i + 1]
  if id ~= ARGV[1] then
    local report = redis.call('get', KEYS[i])
    if report then
      table.insert(live, report)
    else
      redis.call('srem', KEYS[1], id)
    end
  end
end
return live
