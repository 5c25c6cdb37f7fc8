package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Starts the runtime when the application is ready to serve and stops it gracefully (stop reading, commit what is in
 * flight, release) before the web server and Redis connection go away, so a Kubernetes rollout hands tasks over
 * without losing or duplicating anything.
 */
public final class StreamsRuntimeLifecycle implements SmartLifecycle {

    private final StreamsRuntime runtime;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    public StreamsRuntimeLifecycle(StreamsRuntime runtime, Duration shutdownTimeout) {
        this.runtime = runtime;
        this.shutdownTimeout = shutdownTimeout;
    }

    /** @return the runtime */
    public StreamsRuntime runtime() {
        return runtime;
    }

    @Override
    public void start() {
        runtime.start();
        running = true;
    }

    @Override
    public void stop() {
        runtime.close(shutdownTimeout);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown phase ends and after it starts. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
