-- Returns { pending, lag, oldest pending id, consumers } of consumer group ARGV[1] on stream KEYS[1]:
--   pending  entries delivered to the group and not yet acknowledged (PEL size)
--   lag      entries not yet delivered to the group (XINFO GROUPS 'lag'; counted with XRANGE when Redis cannot tell:
--            an entry deleted after the group's position, e.g. by XDEL, leaves 'lag' nil until the group reads past
--            it). The count stops at ARGV[2] entries (default 10000): until 2026-12-06 it read the whole backlog in
--            one XRANGE, so its cost (and the script's memory) grew with the backlog, inside Redis's one thread
--   oldest   id of the oldest pending entry ('' when none)
--   consumers registered consumers of the group
--   at least 1 when lag is a lower bound (the count stopped at ARGV[2] with entries left), else 0
-- { 0, 0, '', 0, 0 } when the stream does not exist, { -1, -1, '', 0, 0 } when the group does not exist.
--#include consumer-groups.lib.lua
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 0, 0, '', 0, 0 }
end
local f = cg_group(KEYS[1], ARGV[1])
if not f then
  return { -1, -1, '', 0, 0 }
end
local lag = f['lag']
local at_least = 0
if type(lag) ~= 'number' then
  local limit = tonumber(ARGV[2] or '10000')
  local from = '(' .. f['last-delivered-id']
  lag = 0
  while true do
    local n = math.min(1000, limit - lag)
    if n <= 0 then
      if #redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', 1) > 0 then
        at_least = 1
      end
      break
    end
    local chunk = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', n)
    lag = lag + #chunk
    if #chunk < n then
      break
    end
    from = '(' .. chunk[#chunk][1]
  end
end
local oldest = ''
if f['pending'] > 0 then
  oldest = redis.call('XPENDING', KEYS[1], ARGV[1])[2]
end
return { f['pending'], lag, oldest, f['consumers'], at_least }
