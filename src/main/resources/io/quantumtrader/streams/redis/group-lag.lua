-- Returns { pending, lag, oldest pending id, consumers } of consumer group ARGV[1] on stream KEYS[1]:
--   pending  entries delivered to the group and not yet acknowledged (PEL size)
--   lag      entries not yet delivered to the group (XINFO GROUPS 'lag'; counted with XRANGE when Redis cannot tell)
--   oldest   id of the oldest pending entry ('' when none)
--   consumers registered consumers of the group
-- { 0, 0, '', 0 } when the stream does not exist, { -1, -1, '', 0 } when the group does not exist.
--#include consumer-groups.lib.lua
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 0, 0, '', 0 }
end
local f = cg_group(KEYS[1], ARGV[1])
if not f then
  return { -1, -1, '', 0 }
end
local lag = f['lag']
if type(lag) ~= 'number' then
  lag = #redis.call('XRANGE', KEYS[1], '(' .. f['last-delivered-id'], '+')
end
local oldest = ''
if f['pending'] > 0 then
  oldest = redis.call('XPENDING', KEYS[1], ARGV[1])[2]
end
return { f['pending'], lag, oldest, f['consumers'] }
