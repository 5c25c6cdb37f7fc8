package io.quantumtrader.app;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.QuantumTraderTopology;
import io.quantumtrader.trader.events.AuditEntry;
import io.quantumtrader.trader.events.KillSwitch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code kill-switch-reset} refuses and what it tells the operator. Found in review (2026-12-07): a blank reason was
 * published to the permanent stream; a namespace whose kill switch never tripped refused the drawdown re-base ("no
 * service has run in it"); a reset the same tick undid by tripping the kill switch again was reported as applied, exit
 * 0; a reset replaced by a later reset was reported as pending (its re-base lost without a word); the audit entry of a
 * reset never named the operator.
 */
class KillSwitchResetOutcomesTest {

    static final StreamCatalog CATALOG = StreamCatalog.load(Path.of("topology/streams.yaml"));

    static String freshNamespace() {
        return "ksr-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return the first {@code n} ticks of the bundled Bitstamp trades */
    static List<io.quantumtrader.trader.events.PriceTick> bitstampTicks(int n) throws java.io.IOException {
        try (java.io.InputStream in = io.quantumtrader.trader.market.TradesCsv.class
                .getResourceAsStream(io.quantumtrader.trader.market.TradesCsv.BITSTAMP_RESOURCE)) {
            return io.quantumtrader.trader.market.TradesCsv.read(in, "BTC-USD").ticks().subList(0, n);
        }
    }

    @RegisterExtension
    static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();

    @TempDir
    Path dir;

    /**
     * --reason is "required ... why, for the audit log", but an empty or blank one is published into the permanent
     * kill-switch stream and audited as "reset: " with exit 0.
     */
    @Test
    void aBlankReasonIsRefusedBeforeAnythingIsPublished() {
        String ns = freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            // a service ran in the namespace: its kill-switch stream exists
            new EventPublisher(c.template(), keys, CATALOG, "test").send(QuantumTraderTopology.KILL_SWITCH, "paper",
                    new KillSwitch("paper", true, "daily loss 5.1% of marked equity >= 5% limit", 5.1, 1_000), 1_000).block();
            CliProcess.Run run = CliProcess.run(dir, Map.of("REDIS_URL", redis.url()), Duration.ofSeconds(90),
                    "kill-switch-reset", "--namespace", ns, "--reason", "  ", "--wait", "0s");
            long entries = c.template().opsForStream().size(keys.stream(QuantumTraderTopology.KILL_SWITCH, 0)).block();
            assertThat(entries).as("nothing published for a blank reason; " + run).isEqualTo(1);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliException.INPUT);
            assertThat(run.stderr()).as(run.toString()).contains("--reason");
        }
    }

    /**
     * A plain reset while the day's loss is still past the limit is applied and, on the same tick, the kill switch trips
     * again (position state judges the reset account: in review, 2026-12-07, a probe showed the audit entries
     * KILL_SWITCH_COMMAND then KILL_SWITCH on the very tick that applied it). The command then says "applied by the
     * portfolio" and exits 0 — its description promises "trading resumes on the next ticks" — while the kill switch is
     * on again. It should tell the operator the kill switch tripped again (the activation that followed the reset).
     */
    @Test
    void aResetFollowedAtOnceByANewActivationIsNotReportedAsSimplyApplied() throws Exception {
        String ns = freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            EventPublisher publisher = new EventPublisher(c.template(), keys, CATALOG, "test");
            KillSwitch reset = new KillSwitch("paper", false, "reviewed", 0, 1_000);
            String id = publisher.send(QuantumTraderTopology.KILL_SWITCH, "paper", reset, 1_000).block();
            // what the portfolio writes in one commit on the tick that applies it (the loss is still past the limit)
            publisher.send(QuantumTraderTopology.AUDIT, "paper",
                    new AuditEntry("KILL_SWITCH_COMMAND", "command-1000", null, "reset: reviewed", 900), 900).block();
            KillSwitch again = new KillSwitch("paper", true, "daily loss 0.9065% of marked equity >= 0.45% limit", 0.9065, 900);
            publisher.send(QuantumTraderTopology.AUDIT, "paper",
                    new AuditEntry("KILL_SWITCH", "kill-900", null, again.reason(), 900), 900).block();
            publisher.send(QuantumTraderTopology.KILL_SWITCH, "paper", again, 900).block();

            ResetConfirmation.Result result = new ResetConfirmation(c.template(), keys, CATALOG, System::currentTimeMillis,
                    Duration.ofMillis(300)).await(reset, id, Duration.ofSeconds(5), Duration.ofMillis(100));
            assertThat(result.outcome()).as("the command tells the operator the kill switch tripped again: " + result)
                    .isEqualTo(ResetConfirmation.Outcome.APPLIED_THEN_TRIPPED);
            assertThat(result.replacedBy()).isEqualTo(again);
        }
    }

    /**
     * Two resets before the portfolio applied the first (the table keeps the latest entry only): an operator's
     * --rebase-drawdown reset (its wait ran out on a quiet market: "the reset stays in the kill-switch table and the
     * first tick or signal applies it") followed by a plain one. The first is never applied nor audited, the re-base is
     * lost, and the command for it reports PENDING ("stays in the table") instead of saying another entry replaced it.
     */
    @Test
    void aResetReplacedByALaterResetIsNotReportedAsPending() throws Exception {
        String ns = freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            EventPublisher publisher = new EventPublisher(c.template(), keys, CATALOG, "test");
            KillSwitch rebase = new KillSwitch("paper", false, "reviewed: re-base", 0, 1_000, true);
            String id = publisher.send(QuantumTraderTopology.KILL_SWITCH, "paper", rebase, 1_000).block();
            KillSwitch plain = new KillSwitch("paper", false, "resume", 0, 2_000, false);
            publisher.send(QuantumTraderTopology.KILL_SWITCH, "paper", plain, 2_000).block();
            ResetConfirmation.Result result = new ResetConfirmation(c.template(), keys, CATALOG, System::currentTimeMillis,
                    Duration.ofMillis(300)).await(rebase, id, Duration.ofSeconds(2), Duration.ofMillis(100));
            assertThat(result.outcome()).as("the re-base reset was replaced in the table by a later entry: " + result)
                    .isEqualTo(ResetConfirmation.Outcome.REPLACED);
        }
    }

    /**
     * A service has run in the namespace and its account is halted by its drawdown (HARD_DERISK, or past
     * max-drawdown-pct) without the kill switch ever tripping — drawdown builds over days of losses each below the daily
     * limit. The way out is {@code kill-switch-reset --rebase-drawdown}, but the command looks for the kill-switch stream,
     * which only an activation creates, and refuses: "namespace ... has no kill-switch stream ...: no service has run in
     * it" (exit 2). Both the refusal and its message are wrong here.
     */
    @Test
    void aRebaseIsAcceptedInANamespaceWhereTheServiceRanButTheKillSwitchNeverTripped() throws Exception {
        String ns = freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        List<io.quantumtrader.trader.events.PriceTick> ticks = bitstampTicks(500);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            try (io.quantumtrader.streams.runtime.StreamsRuntime runtime = new io.quantumtrader.streams.runtime.StreamsRuntime(
                    QuantumTraderTopology.build(), io.quantumtrader.streams.runtime.StreamsConfig.defaults().withNamespace(ns)
                    .withCatalog(CATALOG), c.template())) {
                runtime.start();
                new EventPublisher(c.template(), keys, CATALOG, "test").sendAll(reactor.core.publisher.Flux.fromIterable(ticks)
                        .map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t, t.timestamp())), 500).block();
                assertThat(runtime.awaitDrained(Duration.ofMinutes(1))).isTrue();
            }
            assertThat(c.template().hasKey(keys.stream(QuantumTraderTopology.TICKS, 0)).block()).as("the service ran here").isTrue();
            CliProcess.Run run = CliProcess.run(dir, Map.of("REDIS_URL", redis.url()), Duration.ofSeconds(90),
                    "kill-switch-reset", "--namespace", ns, "--reason", "re-base after review", "--rebase-drawdown", "--wait", "0s");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).as(run.toString()).contains("kill switch reset published");
        }
    }

    /**
     * --operator is "who decides the reset, for the audit log", and the command puts it only in the kill-switch entry's
     * envelope source ("operator/<name>"). The portfolio's audit entry of the reset (KILL_SWITCH_COMMAND) carries
     * "reset: <reason>" and its own source: the audit log, which must record every decision, never says who reset the
     * kill switch.
     */
    @Test
    void theAuditEntryOfAResetNamesTheOperator() throws Exception {
        String ns = freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        List<io.quantumtrader.trader.events.PriceTick> ticks = bitstampTicks(1_000);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            try (io.quantumtrader.streams.runtime.StreamsRuntime runtime = new io.quantumtrader.streams.runtime.StreamsRuntime(
                    QuantumTraderTopology.build(), io.quantumtrader.streams.runtime.StreamsConfig.defaults().withNamespace(ns)
                    .withCatalog(CATALOG), c.template())) {
                runtime.start();
                EventPublisher ticksOut = new EventPublisher(c.template(), keys, CATALOG, "test");
                ticksOut.sendAll(reactor.core.publisher.Flux.fromIterable(ticks.subList(0, 500))
                        .map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t, t.timestamp())), 500).block();
                long at = ticks.get(499).timestamp();
                // as KillSwitchResetCommand publishes it
                KillSwitch reset = new KillSwitch("paper", false, "reviewed the day", 0, at, false, "desk-lead-jane");
                String id = new EventPublisher(c.template(), keys, CATALOG, "operator/desk-lead-jane")
                        .send(QuantumTraderTopology.KILL_SWITCH, "paper", reset, at).block();
                ticksOut.sendAll(reactor.core.publisher.Flux.fromIterable(ticks.subList(500, 1_000))
                        .map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t, t.timestamp())), 500).block();
                ResetConfirmation.Result result = new ResetConfirmation(c.template(), keys, CATALOG, System::currentTimeMillis)
                        .await(reset, id, Duration.ofSeconds(30), Duration.ofMillis(100));
                assertThat(result.outcome()).isEqualTo(ResetConfirmation.Outcome.APPLIED);
            }
            List<Map<String, String>> audit = io.quantumtrader.streams.RedisTestSupport.entriesOf(c.template(), ns,
                    QuantumTraderTopology.AUDIT, 0);
            List<Map<String, String>> commands = audit.stream().filter(e -> String.valueOf(e).contains("KILL_SWITCH_COMMAND")).toList();
            assertThat(commands).as("the reset's audit entry").hasSize(1);
            assertThat(String.valueOf(commands.get(0))).as("the audit entry names who reset the kill switch").contains("desk-lead-jane");
        }
    }
}
