package io.quantumtrader.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering rule: the engine never imports the trading system or the app; the trading logic never touches Redis
 * APIs directly (it uses the DSL).
 */
@AnalyzeClasses(packages = "io.quantumtrader", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule engineNeverImportsTrader = noClasses().that().resideInAPackage("io.quantumtrader.streams..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quantumtrader.trader..", "io.quantumtrader.app..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule traderNeverUsesRedisApis = noClasses().that().resideInAPackage("io.quantumtrader.trader..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..",
                    "io.quantumtrader.streams.redis..")
            .allowEmptyShould(true);

    /** Users of the engine need only its public API (Kafka's kstream vs kstream/internals split; DESIGN §1). */
    @ArchTest
    static final ArchRule traderUsesOnlyThePublicEngineApi = noClasses().that().resideInAPackage("io.quantumtrader.trader..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quantumtrader.streams.dsl.internals..",
                    "io.quantumtrader.streams.runtime..")
            .allowEmptyShould(true);

    /** The DSL describes topologies; it knows nothing of Redis (DESIGN §1). */
    @ArchTest
    static final ArchRule dslNeverImportsRedis = noClasses().that().resideInAnyPackage("io.quantumtrader.streams.dsl..",
                    "io.quantumtrader.streams.processor..", "io.quantumtrader.streams.state..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quantumtrader.streams.redis..", "org.springframework.data.redis..")
            .allowEmptyShould(true);
}
