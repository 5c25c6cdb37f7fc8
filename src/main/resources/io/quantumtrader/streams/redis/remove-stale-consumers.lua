-- Removes the consumers of group ARGV[1] on stream KEYS[1] that have been idle at least ARGV[2] ms and hold no
-- pending entries (XGROUP DELCONSUMER), except ARGV[3] (the caller). A stale consumer that still holds pending
-- entries is kept: its entries are claimed first (claim-pending.lua, at task start), never discarded.
-- Returns the number of consumers removed.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local removed = 0
local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if not ok then
  return 0
end
for _, c in ipairs(consumers) do
  local f = {}
  for i = 1, #c, 2 do
    f[c[i]] = c[i + 1]
  end
  if f['name'] ~= ARGV[3] and f['pending'] == 0 and f['idle'] >= tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    removed = removed + 1
  end
end
return removed
