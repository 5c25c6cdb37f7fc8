-- Takes the lease of a task (DESIGN §2 "Assignment"): when the lease is free (never taken, released, or expired after
-- its owner stopped renewing it) or already held by the caller, issues the next fencing token (KEYS[2], INCR) and
-- stores it as the lease value (KEYS[1], SET PX ttl) with the owner's instance id beside it (KEYS[3], same TTL).
-- The lease value stays the bare token: commit.lua and read-group.lua compare it with the token a task holds, so a
-- fenced zombie can neither commit nor read.
-- The token is the counter's next value and a random nonce the caller drew ('<n>:<nonce>'): if Redis loses the
-- counter's last increment (a failover before the acquire was replicated, a restart from an AOF or RDB that misses it,
-- a restart empty), the counter issues a number again, but never a token an owner still holds (found in review,
-- 2026-12-05: with bare numbers a still-running owner and the instance that took its task passed every fence check).
-- KEYS[1] lease, KEYS[2] fencing counter, KEYS[3] lease owner; ARGV[1] instance id, ARGV[2] TTL ms, ARGV[3] nonce
-- returns the new token, or false (nil to the caller) when another instance holds the lease
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('GET', KEYS[3]) ~= ARGV[1] then
  return false
end
local token = redis.call('INCR', KEYS[2]) .. ':' .. ARGV[3]
redis.call('SET', KEYS[1], token, 'PX', ARGV[2])
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
return token
