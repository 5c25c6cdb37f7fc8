package io.quantumtrader.streams.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class on the {@link ConformanceCluster}: {@link io.quantumtrader.streams.RedisTestSupport} points at the
 * cluster before the class's tests and back at the embedded Redis after them. Each {@code ...OnClusterTest} is a
 * conformance test class extended with this annotation and nothing else: same tests, same expectations.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(OnConformanceCluster.Switch.class)
public @interface OnConformanceCluster {

    /** The switch, before the class's {@code @BeforeAll} methods and after its {@code @AfterAll} methods. */
    final class Switch implements BeforeAllCallback, AfterAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            ConformanceCluster.use();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            ConformanceCluster.release();
        }
    }
}
