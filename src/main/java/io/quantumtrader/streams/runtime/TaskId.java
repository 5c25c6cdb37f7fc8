package io.quantumtrader.streams.runtime;

/**
 * Identifies a task as Kafka Streams does: a sub-topology and one partition of its source streams, written
 * {@code <sub-topology>_<partition>}.
 *
 * @param subtopology sub-topology id (0-based, in topology order)
 * @param partition   partition of the sub-topology's source streams (0-based)
 */
public record TaskId(int subtopology, int partition) implements Comparable<TaskId> {

    public TaskId {
        if (subtopology < 0 || partition < 0) {
            throw new IllegalArgumentException("task id parts must be >= 0, were " + subtopology + "_" + partition);
        }
    }

    /** @return the task id written {@code <sub-topology>_<partition>}, e.g. {@code 0_3} */
    public static TaskId parse(String id) {
        int underscore = id.indexOf('_');
        if (underscore < 1) {
            throw new IllegalArgumentException("task id must look like <sub-topology>_<partition>, was '" + id + "'");
        }
        return new TaskId(Integer.parseInt(id.substring(0, underscore)), Integer.parseInt(id.substring(underscore + 1)));
    }

    /** Orders by sub-topology, then partition. */
    @Override
    public int compareTo(TaskId o) {
        int c = Integer.compare(subtopology, o.subtopology);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
        return subtopology + "_" + partition;
    }
}
