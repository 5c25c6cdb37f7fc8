-- The task counted the dead letters of its claim at start (claim-pending.lua) under token ARGV[2]: marks them counted,
-- so the next claim of consumer group ARGV[1] does not carry them again. Only while the group's last claim
-- ('#claim:<group>' of the deleted-unread hash KEYS[1]) is that token's: a late confirmation of an earlier run changes
-- nothing (the claim after it already carried that run's dead letters). Idempotent.
-- KEYS[1] the stream's deleted-unread hash; ARGV[1] group, ARGV[2] the claim's token
-- returns 1 when marked, 0 when the last claim is another token's
local made = redis.call('HGET', KEYS[1], '#claim:' .. ARGV[1])
if made and string.match(made, '^(%S+) ') == ARGV[2] then
  redis.call('HSET', KEYS[1], '#claim-counted:' .. ARGV[1], ARGV[2])
  return 1
end
return 0
