package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two live processes heartbeating under one instance id are told apart and reported once (found in review, 2026-12-05:
 * they were assigned the same tasks and fenced each other back and forth, unnoticed); one process alone, or one that
 * restarted under its old id, is not reported.
 */
class MembershipDuplicateTest {

    @Test
    void aSecondLiveProcessUnderTheSameInstanceIdIsReportedOnce() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        List<String> reported = new ArrayList<>();
        Membership first = new Membership(RedisTestSupport.template(), keys, "pod-a", Duration.ofSeconds(10), "t", "app", reported::add);
        first.heartbeat(Set.of()).block();
        first.heartbeat(Set.of()).block();
        assertThat(first.duplicateSeen()).as("alone").isFalse();

        Membership restarted = new Membership(RedisTestSupport.template(), keys, "pod-a", Duration.ofSeconds(10), "t", "app", reported::add);
        restarted.heartbeat(Set.of()).block();   // the first one is gone (a restart under the same id)
        restarted.heartbeat(Set.of()).block();
        assertThat(restarted.duplicateSeen()).as("a restart").isFalse();
        assertThat(reported).isEmpty();

        Membership twin = new Membership(RedisTestSupport.template(), keys, "pod-a", Duration.ofSeconds(10), "t", "app", reported::add);
        twin.heartbeat(Set.of()).block();
        restarted.heartbeat(Set.of()).block();   // its details were rewritten by another live process
        twin.heartbeat(Set.of()).block();
        restarted.heartbeat(Set.of()).block();
        assertThat(restarted.duplicateSeen()).isTrue();
        assertThat(twin.duplicateSeen()).isTrue();
        assertThat(reported).hasSize(2).allSatisfy(m -> assertThat(m).contains("two live processes use instance id 'pod-a'"));
    }
}
