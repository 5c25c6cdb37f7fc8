package io.quantumtrader.streams.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The cause chain of an exception, each exception once: the walk stops at an exception seen before. Java allows a
 * cycle of causes ({@code a.initCause(b); b.initCause(a)}), and a walk that only stopped at an exception that is its own
 * cause looped for ever on the thread that met it: a background job hung for good, one thread at full CPU (found in
 * review, 2026-12-07: {@code PeriodicJobCyclicCauseTest}).
 */
public final class CauseChain {

    /** Longest chain walked: past it the rest is left out (no real chain is this deep). */
    static final int MAX_DEPTH = 64;

    private CauseChain() {
    }

    /** @return {@code e} and its causes, outermost first, each once; empty for null */
    public static List<Throwable> of(Throwable e) {
        List<Throwable> chain = new ArrayList<>(4);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && chain.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** @return the innermost exception of {@code e}'s chain ({@code e} itself when it has no cause) */
    public static Throwable root(Throwable e) {
        List<Throwable> chain = of(e);
        return chain.isEmpty() ? e : chain.get(chain.size() - 1);
    }
}
