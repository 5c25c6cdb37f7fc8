package io.quantumtrader.streams;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * During a rolling update whose release adds a sub-topology ({@link TopologyChangeRollingUpdateTest#newRelease}: group
 * {@code pricing.1} on stream {@code priced}), an old-release pod that (re)starts finds {@code pricing.1}, which none of
 * its sub-topologies reads. Found in review (2026-12-06): it warned that the group "is read by no sub-topology of this
 * release and holds back the stream's retention trimming ... XGROUP DESTROY it on every partition", advice that would
 * make the new release process {@code priced} again. Now a start whose topology is recorded in {@code <ns>:topologies}
 * as first run before another says the group may be a newer release's and must be kept; a release that is the newest
 * (here a third one that removes sub-topology 1) still gets the advice to destroy it.
 */
class RenumberedSubtopologyNewerReleaseTest {

    /** A third release: sub-topology 0 edited behind its source (a new fingerprint), sub-topology 1 removed for good. */
    static Topology thirdRelease() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("ticks", Tick.class, Named.as("ticks-source"))
                .mapValues(t -> t, Named.as("same-again"))
                .to("priced", Named.as("priced-sink"));
        return b.build();
    }

    @Test
    void anOldReleasePodDoesNotAdviseDestroyingTheNewReleasesGroupButTheNewestReleaseDoes() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(ShutdownHandOverTest.CATALOG)
                .withBatchSize(10).withLeaseTtl(Duration.ofSeconds(6));
        String topologies = new StreamKeys(ns).topologies();
        List<StreamsRuntime> all = new ArrayList<>();
        try {
            StreamsRuntime old = new StreamsRuntime(FencingTokenRollbackTest.topology(), config.withInstanceId("old-1"), template());
            all.add(old);
            old.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> template().opsForHash().size(topologies).block() == 1);
            StreamsRuntime updated = new StreamsRuntime(TopologyChangeRollingUpdateTest.newRelease(), config.withInstanceId("new-1"), template());
            all.add(updated);
            updated.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> template().opsForHash().size(topologies).block() == 2);

            // an old-release pod (re)starts while the rollout is under way
            List<String> oldWarnings = warningsOf(() -> {
                StreamsRuntime oldAgain = new StreamsRuntime(FencingTokenRollbackTest.topology(), config.withInstanceId("old-2"), template());
                all.add(oldAgain);
                oldAgain.start();
                return oldAgain;
            });
            System.out.println("old-2 warned: " + oldWarnings);
            assertThat(oldWarnings).noneMatch(w -> w.contains("pricing.1") && w.contains("XGROUP DESTROY"));
            assertThat(oldWarnings).anyMatch(w -> w.contains("consumer group pricing.1 of stream 'priced'")
                    && w.contains("may be a newer release's") && w.contains("Do not destroy it"));

            // the opposite: a release newer than both, which removed sub-topology 1, is told to destroy pricing.1
            List<String> newestWarnings = warningsOf(() -> {
                StreamsRuntime third = new StreamsRuntime(thirdRelease(), config.withInstanceId("third-1"), template());
                all.add(third);
                third.start();
                return third;
            });
            System.out.println("third-1 warned: " + newestWarnings);
            assertThat(newestWarnings).anyMatch(w -> w.contains("consumer group pricing.1 of stream 'priced'")
                    && w.contains("is read by no sub-topology of this release and holds back")
                    && w.contains("XGROUP DESTROY it on every partition of 'priced'"));
            assertThat(newestWarnings).noneMatch(w -> w.contains("may be a newer release's"));
        } finally {
            all.forEach(StreamsRuntime::kill);
        }
    }

    private static List<String> warningsOf(Supplier<StreamsRuntime> start) {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(StreamsRuntime.class);
        log.start();
        logger.addAppender(log);
        try {
            start.get();
        } finally {
            logger.detachAppender(log);
        }
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
