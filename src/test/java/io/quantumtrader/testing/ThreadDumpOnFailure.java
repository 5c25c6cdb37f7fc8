package io.quantumtrader.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Prints every thread's stack to standard error when a test fails (registered for all tests through
 * {@code META-INF/services} and {@code junit.jupiter.extensions.autodetection.enabled}), so a test that timed out
 * waiting for a stalled task shows where the threads were at that moment: what blocked, on which lock.
 */
public final class ThreadDumpOnFailure implements TestWatcher {

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder dump = new StringBuilder("---- thread dump after the failure of ")
                .append(context.getDisplayName()).append(" (").append(cause).append(")\n");
        ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
        Arrays.sort(threads, Comparator.comparing(ThreadInfo::getThreadName));
        for (ThreadInfo t : threads) {
            dump.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) {
                dump.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                dump.append("    at ").append(e).append('\n');
            }
        }
        System.err.print(dump.append("---- end of thread dump\n"));
    }
}
