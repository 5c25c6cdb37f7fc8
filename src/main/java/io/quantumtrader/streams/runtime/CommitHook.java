package io.quantumtrader.streams.runtime;

import reactor.core.publisher.Mono;

/**
 * Runs before a task commits a batch. Used to inject faults (a crash between processing and commit) in tests and
 * chaos drills; the commit waits for the returned Mono.
 */
@FunctionalInterface
public interface CommitHook {

    CommitHook NONE = (task, entries) -> Mono.empty();

    /**
     * @param taskId  task id {@code <sub-topology>_<partition>}
     * @param entries input entries in the batch about to be committed
     */
    Mono<Void> beforeCommit(String taskId, int entries);
}
