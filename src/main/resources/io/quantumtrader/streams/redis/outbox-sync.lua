-- A write in the outbox's slot, so that the WAIT after it covers every write applied there before it: the commits
-- whose outputs a forward is about to send on (OutboxForwarder). A WAIT covers the replication stream up to its
-- connection's last write, and the master's stream is ordered: once replicas hold this write, they hold every commit
-- applied before it, whichever connection (or earlier process) applied it.
-- KEYS[1]: <outbox>:sync (the outbox's hash tag), expires after a minute.
redis.call('SET', KEYS[1], '1', 'PX', 60000)
return 1
