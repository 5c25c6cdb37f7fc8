package io.quantumtrader.app;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * A paced replay ({@code replay --speed N}: N market seconds per second of wall time): each tick is published when its
 * event time comes, counted from the first tick's, and a wait of {@link #ANNOUNCED_WAIT} or more — a gap in the market
 * data: a night, a weekend, an exchange outage — is said before it starts, with when the next tick comes. Before
 * (review 2026-12-07) the progress lines came with ticks published only, so such a gap was minutes of silence at
 * {@code --speed 300}, hours at {@code --speed 1}. A replay that falls {@link #BEHIND_SAID} or more behind its pace (it
 * publishes paced ticks one at a time: a few hundred per second here, fewer than {@code --speed 5000} asks of dense
 * data) says so, at most every {@link #ANNOUNCED_WAIT}: until 2026-12-07 it took 16 s for what 5.7 s were asked, without
 * a word (found in review).
 */
final class ReplayPacing {

    /** The shortest wait for the next tick that is said before it starts: 30 s, the log's longest quiet stretch. */
    static final Duration ANNOUNCED_WAIT = Duration.ofNanos(ConsoleProgress.QUIET_LINE_NANOS);

    /** How far behind its pace a replay is said to be: 5 s. */
    static final Duration BEHIND_SAID = Duration.ofSeconds(5);

    private ReplayPacing() {
    }

    /**
     * @param items       the ticks in publishing order
     * @param eventTimeMs a tick's event time, epoch ms
     * @param speed       market seconds per second of wall time; 0 or less: as fast as possible (nothing waits)
     * @param say         takes the line said before each wait of {@link #ANNOUNCED_WAIT} or more
     * @return {@code items}, each emitted when its event time comes (wall clock of {@link Schedulers#parallel()}, which
     *         a virtual-time test replaces), counted from the subscription
     */
    static <T> Flux<T> paced(List<T> items, ToLongFunction<T> eventTimeMs, double speed, Consumer<String> say) {
        if (speed <= 0 || items.isEmpty()) {
            return Flux.fromIterable(items);
        }
        return Flux.defer(() -> {
            Scheduler clock = Schedulers.parallel();
            long firstTick = eventTimeMs.applyAsLong(items.get(0));
            long wallStart = clock.now(TimeUnit.MILLISECONDS);
            long[] latest = {firstTick};   // the latest event time published so far (ticks may come out of order)
            long[] behindSaid = {Long.MIN_VALUE / 2};   // when being behind was last said, wall ms
            long[] count = {0};
            return Flux.fromIterable(items).delayUntil(t -> {
                long at = eventTimeMs.applyAsLong(t);
                long now = clock.now(TimeUnit.MILLISECONDS);
                long due = wallStart + (long) ((at - firstTick) / speed);
                long waitMs = Math.max(0, due - now);
                count[0]++;
                // behind the pace: an in-order tick past its time (one out of order is past its time by its nature)
                if (at >= latest[0] && now - due >= BEHIND_SAID.toMillis() && now - behindSaid[0] >= ANNOUNCED_WAIT.toMillis()) {
                    behindSaid[0] = now;
                    say.accept(String.format(Locale.ROOT, "%s behind --speed %s: the ticks cannot be published that fast here "
                                    + "(%,d in %s); the replay goes on as fast as it can", human(Duration.ofMillis(now - due)),
                            speedLabel(speed), count[0] - 1, human(Duration.ofMillis(now - wallStart))));
                }
                if (waitMs >= ANNOUNCED_WAIT.toMillis()) {
                    say.accept(String.format(Locale.ROOT, "no trade in the market data from %s to %s (%s): the next tick is "
                                    + "published in %s (--speed %s)", Instant.ofEpochMilli(latest[0]), Instant.ofEpochMilli(at),
                            human(Duration.ofMillis(at - latest[0])), human(Duration.ofMillis(waitMs)), speedLabel(speed)));
                }
                latest[0] = Math.max(latest[0], at);
                return waitMs == 0 ? Mono.empty() : Mono.delay(Duration.ofMillis(waitMs), clock);
            });
        });
    }

    /** @return e.g. {@code 2d 3h}, {@code 20h 47m}, {@code 4m 9s}, {@code 31s}: the two largest units */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    private static String speedLabel(double speed) {
        return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
    }
}
