-- Included by read-group.lua (LuaScript: a line '--#include <file>').
-- Whether consumer holds an entry of stream key (group) after id seen, the last entry of that stream its reader has
-- received ('-' when none yet). A reader receives every entry delivered to its consumer (it re-reads the consumer's
-- pending entries at its start, and only its own reads deliver to it while it holds the task's lease), so such an
-- entry was delivered by a read whose reply the reader never got: Lettuce re-sends a command whose connection was lost
-- before its reply, and XREADGROUP '>' is not idempotent (the second read returns the entries after the first's).
local function pending_after(key, group, consumer, seen)
  local start = seen == '-' and '-' or ('(' .. seen)
  return #redis.call('XPENDING', key, group, start, '+', 1, consumer) > 0
end
