package io.quantumtrader.streams.redis;

import reactor.core.publisher.Mono;

/**
 * Runs at each step of an {@link OutboxForwarder#forward}: before each target slot's append (the slots of a page are
 * appended in parallel) and before the forwarded entries leave the outbox. Used to inject faults (a crash between the commit and the forward, between two target
 * slots, or before the outbox is cleaned) in tests and chaos drills; the forward waits for the returned Mono.
 */
@FunctionalInterface
public interface ForwardHook {

    ForwardHook NONE = (outbox, slotsDone, slots) -> Mono.empty();

    /**
     * @param outboxKey the outbox being forwarded
     * @param slotsDone index of the target slot about to be appended (0: right after the commit; the others may be in
     *                  flight), or {@code slots}: every slot appended, before the outbox entries are deleted
     * @param slots     target slots of the current page
     */
    Mono<Void> before(String outboxKey, int slotsDone, int slots);
}
