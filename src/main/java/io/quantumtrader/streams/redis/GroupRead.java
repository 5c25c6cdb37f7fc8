package io.quantumtrader.streams.redis;

import java.util.List;

/**
 * What one fenced read of a task's input streams returned: the entries, as {@code XREADGROUP} replied them, and what
 * the same read found deleted before the consumer group read it ({@code deleted-unread.lib.lua}).
 *
 * @param entries       the entries read, in reply order
 * @param deletedUnread one number per stream read, in the order the streams were given: 0 when no entry was newly
 *                      found deleted unread, else the number of entries deleted before the group read them (-1: at
 *                      least one, Redis cannot tell how many); each such deletion was dead-lettered once, in the read
 * @param resent        true when, before this read of new entries, the consumer already held an entry after the last
 *                      one the reader had received of a stream: Redis ran an earlier read whose reply was lost, and the
 *                      client sent it again: {@code read-group.lua} then reads nothing (new entries would come
 *                      before the lost ones), and the reader re-reads its consumer's pending entries after what it
 *                      received ({@link PartitionReader})
 */
public record GroupRead(List<RawStreamEntry> entries, List<Long> deletedUnread, boolean resent) {
}
