-- Releases a task lease after a cooperative handover or a graceful stop, only if it still holds the caller's token
-- (a release never frees a lease someone else took meanwhile).
-- KEYS[1] lease, KEYS[2] lease owner; ARGV[1] token
-- returns 1 when released, 0 when the lease was no longer the caller's
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
