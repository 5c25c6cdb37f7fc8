package io.quantumtrader.streams.redis;

import java.util.List;

/**
 * What one fenced read of a task's input streams returned: the entries, as {@code XREADGROUP} replied them, and what
 * the same read found deleted before the consumer group read it ({@code deleted-unread.lib.lua}).
 *
 * @param entries       the entries read, in reply order
 * @param deletedUnread the group's totals of entries found deleted before it read them, one per stream read, in the
 *                      order the streams were given, after this read (each such deletion was dead-lettered once, by
 *                      the read that found it); empty when the reply was lost
 * @param resent        true when, before this read of new entries, the consumer already held an entry after the last
 *                      one the reader had received of a stream: Redis ran an earlier read whose reply was lost, and the
 *                      client sent it again: {@code read-group.lua} then reads nothing (new entries would come
 *                      before the lost ones), and the reader re-reads its consumer's pending entries after what it
 *                      received ({@link PartitionReader})
 */
public record GroupRead(List<RawStreamEntry> entries, List<DeletedUnreadTotals> deletedUnread, boolean resent) {
}
