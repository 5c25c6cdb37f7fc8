package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.PeriodicJob;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

import java.time.Duration;

/**
 * A Spring {@link SmartLifecycle} that runs one {@link PeriodicJob} from its start (the first run at once) to its
 * stop: the service's background checks and publishers ({@link HealthMeter}, {@link HeartbeatPublisher},
 * {@link RedisReachability}), which must survive a failing or slow Redis (the job logs, counts and goes on).
 */
abstract class PeriodicJobLifecycle implements SmartLifecycle {

    private volatile Disposable subscription;

    /** @return the job to run, made at each {@link #start()} */
    abstract PeriodicJob job();

    @Override
    public void start() {
        subscription = job().start(Duration.ZERO);
    }

    @Override
    public void stop() {
        Disposable s = subscription;
        if (s != null) {
            s.dispose();
        }
        subscription = null;
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}
