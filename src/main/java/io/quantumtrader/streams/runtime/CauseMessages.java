package io.quantumtrader.streams.runtime;

import java.util.LinkedHashSet;

/**
 * One line for a log message from an exception and its causes. A wrapper's own message says nothing (Spring Data
 * Redis' "Error in execution"); the Redis reply it wraps says what is wrong ("OOM command not allowed when used memory
 * &gt; 'maxmemory'"), and without it the cause was only in the DEBUG lines.
 */
final class CauseMessages {

    private CauseMessages() {
    }

    /**
     * @return the messages of {@code e} and of its causes, outermost first, each once (a message that repeats another,
     *         as a wrapper's often does, is left out), joined by {@code ": "}; the class name when none has a message
     */
    static String of(Throwable e) {
        LinkedHashSet<String> messages = new LinkedHashSet<>();
        for (Throwable t : io.quantumtrader.streams.runtime.CauseChain.of(e)) {
            String m = t.getMessage() == null ? "" : t.getMessage().strip();
            if (!m.isEmpty() && messages.stream().noneMatch(s -> s.contains(m))) {
                messages.add(m);
            }
        }
        return messages.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", messages);
    }
}
