package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The membership is shared by the applications of a namespace; each one's assignment counts only its own members
 * (review of 2026-12-06). A member whose details name no application (a release before this rule) still counts as one
 * of this application's, so a rolling update from that release sees its old instances; a second application using the
 * same instance id is reported as such.
 */
class MembershipApplicationsTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    @Test
    void membersOfAnotherApplicationAreLeftOutAndOnesWithoutAnApplicationAreKept() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        var redis = RedisTestSupport.template();
        Membership alpha = new Membership(redis, keys, "alpha-1", TTL, "fa", "alpha", m -> { });
        Membership alpha2 = new Membership(redis, keys, "alpha-2", TTL, "fa", "alpha", m -> { });
        Membership beta = new Membership(redis, keys, "beta-1", TTL, "fb", "beta", m -> { });
        alpha.heartbeat(Set.of()).block();
        alpha2.heartbeat(Set.of()).block();
        beta.heartbeat(Set.of()).block();
        // an alpha instance of the release before: details without 'application'
        redis.opsForZSet().add(keys.members(), "alpha-old", System.currentTimeMillis() + TTL.toMillis()).block();
        redis.opsForHash().putAll(keys.member("alpha-old"), Map.of("topology", "fa-old", "joined", "1")).block();

        Membership.View view = alpha.read().block();
        assertThat(view.live()).containsExactly("alpha-1", "alpha-2", "alpha-old", "beta-1");
        Membership.Topologies split = alpha.topologies(view.live()).block();
        assertThat(split.sameApplication().keySet()).containsExactlyInAnyOrder("alpha-1", "alpha-2", "alpha-old");
        assertThat(split.otherApplications()).containsExactly("beta-1");
        assertThat(TopologyVersions.assignable(view.live(), split.sameApplication()))
                .as("alpha's newest topology among alpha's members").containsExactly("alpha-1", "alpha-2");

        Membership.Topologies fromBeta = beta.topologies(view.live()).block();
        assertThat(fromBeta.sameApplication().keySet()).containsExactlyInAnyOrder("beta-1", "alpha-old");
        assertThat(fromBeta.otherApplications()).containsExactlyInAnyOrder("alpha-1", "alpha-2");
    }

    @Test
    void anInstanceIdUsedByTwoApplicationsIsReportedAsSuch() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        List<String> reported = new ArrayList<>();
        Membership alpha = new Membership(RedisTestSupport.template(), keys, "pod", TTL, "fa", "alpha", reported::add);
        Membership beta = new Membership(RedisTestSupport.template(), keys, "pod", TTL, "fb", "beta", reported::add);
        alpha.heartbeat(Set.of()).block();
        beta.heartbeat(Set.of()).block();
        alpha.heartbeat(Set.of()).block();
        assertThat(reported).singleElement().asString()
                .startsWith("instance id 'pod' is also used by a live process of application 'beta' in this namespace");
    }
}
