package io.quantumtrader.streams.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * A consumer group's running totals of the entries of one stream partition found deleted before the group read them
 * ({@code deleted-unread.lib.lua}), kept in the stream's deleted-unread hash ({@link StreamKeys#deletedUnread}). Reads
 * return the totals rather than what each found, so a reader that lost a read's reply still counts the loss once, from
 * the totals of its next read ({@link PartitionReader#reportDeletedUnread}).
 *
 * @param entries entries deleted unread so far, where Redis could tell how many
 * @param unknown reports so far of entries deleted unread where Redis could not tell how many (at least one each)
 */
public record DeletedUnreadTotals(long entries, long unknown) {

    /** Nothing reported yet. */
    public static final DeletedUnreadTotals NONE = new DeletedUnreadTotals(0, 0);

    /**
     * @param flat two numbers per stream, as the scripts reply them (entries, unknown)
     * @return one totals per stream, in order
     */
    static List<DeletedUnreadTotals> pairs(List<Long> flat) {
        List<DeletedUnreadTotals> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(new DeletedUnreadTotals(flat.get(i), flat.get(i + 1)));
        }
        return out;
    }

    /** @return true when both totals are at least {@code earlier}'s (the totals only grow while the hash lives) */
    boolean atLeast(DeletedUnreadTotals earlier) {
        return entries >= earlier.entries && unknown >= earlier.unknown;
    }
}
