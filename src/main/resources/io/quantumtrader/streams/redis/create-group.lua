-- Creates consumer group ARGV[1] on stream KEYS[1] reading from the start (id 0), creating the stream if needed.
-- Returns 1 when created, 0 when the group already existed.
local ok, err = pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
if ok then
  return 1
end
if string.find(tostring(err), 'BUSYGROUP') then
  return 0
end
return redis.error_reply(tostring(err))
