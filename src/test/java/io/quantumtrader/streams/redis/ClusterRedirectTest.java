package io.quantumtrader.streams.redis;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ClusterRedirect}: Redis Cluster's redirection replies. */
class ClusterRedirectTest {

    @Test
    void movedAndAskNameTheNodeToSendTo() {
        assertThat(ClusterRedirect.parse("MOVED 3999 127.0.0.1:6381")).contains(new ClusterRedirect(false, "127.0.0.1", 6381));
        assertThat(ClusterRedirect.parse("ASK 3999 10.0.0.2:7000")).contains(new ClusterRedirect(true, "10.0.0.2", 7000));
        assertThat(ClusterRedirect.parse("MOVED 3999 ::1:7000")).contains(new ClusterRedirect(false, "::1", 7000));
        assertThat(ClusterRedirect.parse("MOVED 3999 :7000")).as("endpoint left out: the replying node's host")
                .contains(new ClusterRedirect(false, "", 7000));
    }

    @Test
    void otherRepliesAreNoRedirection() {
        assertThat(ClusterRedirect.parse("TRYAGAIN Multiple keys request during rehashing of slot")).isEmpty();
        assertThat(ClusterRedirect.parse("ERR MOVED 1 x:1")).isEmpty();
        assertThat(ClusterRedirect.parse("MOVED 3999 host:port")).isEmpty();
        assertThat(ClusterRedirect.of(new RuntimeException("wrapped", new RedisCommandExecutionException("ASK 1 h:2"))))
                .contains(new ClusterRedirect(true, "h", 2));
        assertThat(ClusterRedirect.of(new RuntimeException("MOVED 1 h:2"))).as("not an error reply of Redis").isEqualTo(Optional.empty());
    }
}
