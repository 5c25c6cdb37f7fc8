package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ReactiveZSetOperations;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member found dead that heartbeats again while another instance forgets its details keeps them (found in review,
 * 2026-12-06: the forgetting instance read the members sorted set, the member renewed, then the details were deleted,
 * so the others left a live member out of the assignment until its next heartbeat). The interleaving is driven: the
 * forgetting instance's template renews the member right after its read of the member's score, or right before a
 * script on the member's details, whichever the code issues first. A member that stays dead still loses its details.
 */
class MembershipRenewRaceTest {

    private static final Duration TTL = Duration.ofSeconds(10);

    @Test
    void aMemberThatRenewsWhileItsDetailsAreForgottenKeepsThem() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        Membership comeback = new Membership(redis, keys, "pod-b", TTL);
        comeback.heartbeat(Set.of(new TaskId(0, 1))).block();
        diedLongAgo(redis, keys, "pod-b");

        AtomicBoolean renewed = new AtomicBoolean();
        Mono<Void> renew = Mono.defer(() -> renewed.compareAndSet(false, true)
                ? comeback.heartbeat(Set.of(new TaskId(0, 1))).then() : Mono.<Void>empty());
        Membership observer = new Membership(new RenewingTemplate(redis, keys, "pod-b", renew), keys, "pod-a", TTL);

        Membership.View view = observer.read().block();

        assertThat(view.removed()).as("pod-b had expired when pod-a read the membership").containsExactly("pod-b");
        assertThat(renewed).as("pod-b renewed in the middle of pod-a's forgetting").isTrue();
        assertThat(redis.opsForZSet().score(keys.members(), "pod-b").block()).as("pod-b is live again").isNotNull();
        assertThat(redis.<String, String>opsForHash().get(keys.member("pod-b"), "tasks").block())
                .as("the details of the renewed pod-b").isEqualTo(new TaskId(0, 1).toString());
    }

    @Test
    void aMemberThatStaysDeadLosesItsDetails() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        new Membership(redis, keys, "pod-b", TTL).heartbeat(Set.of()).block();
        diedLongAgo(redis, keys, "pod-b");

        Membership.View view = new Membership(redis, keys, "pod-a", TTL).read().block();

        assertThat(view.removed()).containsExactly("pod-b");
        assertThat(redis.hasKey(keys.member("pod-b")).block()).as("details of a dead member").isFalse();
    }

    @Test
    void detailsWrittenBeforeTheirExpiryWasRecordedAreStillForgotten() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        redis.opsForZSet().add(keys.members(), "pod-old", 1).block();
        redis.opsForHash().putAll(keys.member("pod-old"), java.util.Map.of("host", "h", "heartbeat", "1")).block();

        new Membership(redis, keys, "pod-a", TTL).read().block();

        assertThat(redis.hasKey(keys.member("pod-old")).block()).as("details without 'expires' of a dead member").isFalse();
    }

    /** As if {@code id}'s last heartbeat were long ago: its score and (when present) its details' expiry in 1970. */
    private static void diedLongAgo(ReactiveStringRedisTemplate redis, StreamKeys keys, String id) {
        redis.opsForZSet().add(keys.members(), id, 1).block();
        redis.opsForHash().put(keys.member(id), "heartbeat", "0").block();
        redis.opsForHash().put(keys.member(id), "expires", "1").block();
    }

    /**
     * The observer's template: runs {@code renew} once, after a read of {@code member}'s score in the members sorted
     * set or before a script on {@code member}'s details hash (the read and the delete, or the one atomic step).
     */
    private static final class RenewingTemplate extends ReactiveStringRedisTemplate {
        private final ReactiveStringRedisTemplate redis;
        private final String member;
        private final String detailsKey;
        private final Mono<Void> renew;

        RenewingTemplate(ReactiveStringRedisTemplate redis, StreamKeys keys, String member, Mono<Void> renew) {
            super(redis.getConnectionFactory());
            this.redis = redis;
            this.member = member;
            this.detailsKey = keys.member(member);
            this.renew = renew;
        }

        @Override
        public <T> Flux<T> execute(RedisScript<T> script, List<String> keys, List<?> args) {
            Flux<T> run = super.execute(script, keys, args);
            return keys.contains(detailsKey) ? renew.thenMany(run) : run;
        }

        @Override
        @SuppressWarnings("unchecked")
        public ReactiveZSetOperations<String, String> opsForZSet() {
            ReactiveZSetOperations<String, String> ops = redis.opsForZSet();
            return (ReactiveZSetOperations<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{ReactiveZSetOperations.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(ops, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("score") && args.length == 2 && member.equals(args[1])) {
                            return ((Mono<Double>) result).map(Optional::of).defaultIfEmpty(Optional.empty())
                                    .flatMap(score -> renew.then(Mono.justOrEmpty(score)));
                        }
                        return result;
                    });
        }
    }
}
