-- Deletes the details of a member found expired (Membership.forgetDetails), unless it heartbeated again meanwhile.
-- KEYS[1] the member's details hash (<ns>:member:<instance-id>): its field 'expires' is the epoch ms (Redis clock)
-- until which its last heartbeat made it live, the same as its score in the members sorted set, written by the same
-- heartbeat. One key: the sorted set is in another Redis Cluster slot, so "not renewed" is judged on the hash alone,
-- atomically with the delete (read in one command and deleted in another, a heartbeat in between lost its details).
-- Details without 'expires' (written before the field existed) are deleted, as before.
-- returns 1 if deleted, 0 if kept (renewed, or already gone)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expires = redis.call('HGET', KEYS[1], 'expires')
if expires and tonumber(expires) and tonumber(expires) >= now then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
