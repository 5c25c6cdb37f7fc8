-- Takes the lease of a task: issues the next fencing token (KEYS[2], INCR) and records it as the owner (KEYS[1]).
-- Commits carrying an older token are refused by commit.lua (a fenced zombie cannot write).
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token)
return token
