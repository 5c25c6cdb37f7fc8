package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.market.PricesCsv;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test on a real multi-symbol dataset (vega-datasets' monthly closes of five stocks, 2000-2010,
 * as bars with 1-day candles): the Redis pipeline equals {@link IndependentReference} — with the market data layer
 * and the portfolio on 4 partitions (the five symbols' records gathered by account from several tasks) and, under
 * tight rules, on 1 partition; several symbols trade at once,
 * the portfolio keeps its rules (a second signal on an open position adds to it, merged, never replacing it; exposure
 * including pending orders within the cap), and positions still open at the end are listed.
 */
class MultiSymbolDifferentialTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    static List<PriceTick> stocks() throws Exception {
        try (InputStream in = Files.newInputStream(VegaStocks.csv())) {
            return PricesCsv.read(in).ticks();
        }
    }

    @Test
    void fiveStocksThroughThePipelineEqualTheIndependentReference() throws Exception {
        List<PriceTick> ticks = stocks();
        assertThat(ticks).hasSize(560);
        Path rulesFile = DifferentialTest.RULES_FILE;
        RiskRules rules;
        try (InputStream in = Files.newInputStream(rulesFile)) {
            rules = RiskRules.load(in).withKillSwitchResetsDaily(true);
        }
        IndependentReference.Rules referenceRules = IndependentReference.Rules.fromYaml(rulesFile).resetDaily(true);
        IndependentReference reference = run(ticks, rules, referenceRules, TradingFixtures.catalog(4));
        Set<String> traded = reference.closed.stream().map(c -> c.symbol()).collect(Collectors.toSet());
        assertThat(traded).as("symbols traded").hasSizeGreaterThanOrEqualTo(3);
    }

    /**
     * Tight rules (written in both forms: the YAML the pipeline reads, the reference's own record): 4 % risk per trade,
     * a 60 % gross cap, hard de-risk from 2 % drawdown: the account reaches HARD_DERISK, and both agree on every fill.
     */
    @Test
    void underTightRulesBothImplementationsAgreeThroughHardDerisk() throws Exception {
        String yaml = String.join("\n", "starting-equity-usd: 100000", "risk-per-trade-pct: 4.0", "daily-loss-limit-pct: 50.0",
                "max-drawdown-pct: 50.0", "max-open-positions: 5", "gross-exposure-cap-pct: 60.0", "min-edge-score: 20",
                "kill-switch-resets-daily: true", "allow-adds: true", "soft-derisk-drawdown-pct: 0", "hard-derisk-drawdown-pct: 2.0",
                "soft-derisk-on-volatility-spike: false", "derisk-hysteresis-pct: 0.5", "price-band-pct: 10.0",
                "price-band-confirmations: 1", "price-band-hold-seconds: 300", "");
        Path file = Files.createTempFile("tight-rules", ".yaml");
        Files.writeString(file, yaml);
        RiskRules rules;
        try (InputStream in = Files.newInputStream(file)) {
            rules = RiskRules.load(in);
        }
        IndependentReference reference = run(stocks(), rules, IndependentReference.Rules.fromYaml(file), TradingFixtures.catalog());
        assertThat(reference.deRiskChanges).contains("NORMAL -> HARD_DERISK");
    }

    /**
     * The two optional rules set away from their defaults — an entry re-sized only when its loss at the stop from its
     * fill is more than 35 % above the approved one ({@code entry-gap-tolerance-pct: 35}; on these monthly bars
     * entries fill at 1.13x, 1.20x, 1.32x… the approved loss), and a band that widens at most 4 times (1.46x at
     * 10 %, so the larger monthly moves are held and, a month later, refused unconfirmed) — are read by both
     * implementations alike: the same fills, refusals and closes; and they matter (the reference with the defaults
     * trades otherwise). Until 2026-12-06 both were constants.
     */
    @Test
    void theOptionalRulesSetOtherwiseBothImplementationsAgree() throws Exception {
        String yaml = Files.readString(DifferentialTest.RULES_FILE)
                .replaceAll("(?m)^entry-gap-tolerance-pct:.*$", "entry-gap-tolerance-pct: 35")
                .replaceAll("(?m)^price-band-max-widening:.*$", "price-band-max-widening: 4");
        Path file = Files.createTempFile("optional-rules", ".yaml");
        Files.writeString(file, yaml);
        RiskRules rules;
        try (InputStream in = Files.newInputStream(file)) {
            rules = RiskRules.load(in).withKillSwitchResetsDaily(true);
        }
        assertThat(rules.entryGapTolerancePct()).isEqualTo(35);
        assertThat(rules.priceBandMaxWidening()).isEqualTo(4);
        IndependentReference.Rules referenceRules = IndependentReference.Rules.fromYaml(file).resetDaily(true);
        String ns = "stocks-optional-" + System.nanoTime();
        IndependentReference reference = runSame(stocks(), rules, referenceRules, TradingFixtures.catalog(4), ns);
        assertThat(reference.unconfirmedTicks).as("monthly moves beyond 1.46x held, refused unconfirmed").isNotEmpty();
        assertThat(TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.REFUSED_TICKS, io.quantumtrader.trader.events.RefusedTick.class))
                .extracting(io.quantumtrader.trader.events.RefusedTick::tick)
                .containsExactlyInAnyOrderElementsOf(reference.unconfirmedTicks);

        IndependentReference defaults = new IndependentReference(
                IndependentReference.Rules.fromYaml(DifferentialTest.RULES_FILE).resetDaily(true), Duration.ofDays(1).toMillis());
        stocks().forEach(defaults::onTick);
        defaults.end();
        assertThat(defaults.unconfirmedTicks).isEmpty();
        assertThat(defaults.fills).isNotEqualTo(reference.fills);
    }

    /** Runs both implementations and asserts they agree ({@link DifferentialTest#assertSameResults}); @return the reference */
    private IndependentReference runSame(List<PriceTick> ticks, RiskRules rules, IndependentReference.Rules referenceRules,
                                         StreamCatalog catalog, String ns) {
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(RegimeRules.defaults(), rules, Duration.ofDays(1)),
                StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns).withCatalog(catalog), REDIS.template())) {
            runtime.start();
            TradingFixtures.publish(REDIS.template(), ns, catalog, ticks);
            assertThat(runtime.awaitDrained(Duration.ofMinutes(1))).isTrue();
            TradingFixtures.countedOrders(ns, runtime);
        }
        IndependentReference reference = new IndependentReference(referenceRules, Duration.ofDays(1).toMillis());
        ticks.forEach(reference::onTick);
        reference.end();

        DifferentialTest.assertSameResults(REDIS, ns, reference, referenceRules);
        return reference;
    }

    private IndependentReference run(List<PriceTick> ticks, RiskRules rules, IndependentReference.Rules referenceRules,
                                     StreamCatalog catalog) {
        String ns = "stocks-" + System.nanoTime();
        IndependentReference reference = runSame(ticks, rules, referenceRules, catalog, ns);
        long entries = reference.fills.stream().filter(f -> f.purpose() == io.quantumtrader.trader.events.OrderFilled.Purpose.ENTRY).count();
        long positions = reference.closed.stream().filter(c -> !c.partial()).count() + reference.openPositions().size();
        assertThat(entries).as("entry fills: some were adds to an open position, merged into it (positions opened = closed + open)")
                .isGreaterThan(positions);
        List<RiskEvaluation> evaluations = TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class);
        assertThat(evaluations).extracting(RiskEvaluation::vetoReason).as("de-risk and position rules were applied")
                .anyMatch(r -> r != null && (r.contains("de-risk") || r.contains("position")));
        return reference;
    }
}
