-- Renews a task lease (compare-and-renew): only while it still holds the caller's fencing token.
-- KEYS[1] lease, KEYS[2] lease owner; ARGV[1] token, ARGV[2] TTL ms
-- returns 1 when renewed, 0 when the lease expired or another token holds it (the caller is fenced)
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
