package io.quantumtrader.trader.reference;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The differential test's reference must not import the code it checks: from the trading system it may use the event
 * records ({@code trader.events}) and nothing else.
 */
class ReferenceIndependenceTest {

    @Test
    void theReferenceImportsNoTradingClassButEventRecords() {
        JavaClasses reference = new ClassFileImporter().importPackages("io.quantumtrader.trader.reference");
        noClasses().that().resideInAPackage("io.quantumtrader.trader.reference..")
                .and().doNotHaveSimpleName("ReferenceIndependenceTest")
                .should().dependOnClassesThat().resideInAnyPackage("io.quantumtrader.trader", "io.quantumtrader.trader.market..",
                        "io.quantumtrader.trader.regime..", "io.quantumtrader.trader.signal..", "io.quantumtrader.trader.risk..",
                        "io.quantumtrader.trader.sizing..", "io.quantumtrader.trader.execution..", "io.quantumtrader.trader.position..",
                        "io.quantumtrader.trader.exit..", "io.quantumtrader.streams..", "io.quantumtrader.app..")
                .check(reference);
    }
}
