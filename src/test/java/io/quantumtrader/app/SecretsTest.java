package io.quantumtrader.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsTest {

    @Test
    void urlPasswordsAreMasked() {
        assertThat(Secrets.redact("connect redis://:hunter22@10.0.0.5:6379/0 failed"))
                .isEqualTo("connect redis://:***@10.0.0.5:6379/0 failed");
        assertThat(Secrets.redact("redis://app:hunter22@host")).isEqualTo("redis://app:***@host");
        assertThat(Secrets.redact("REDIS://hunter22@host")).isEqualTo("REDIS://***@host");
        assertThat(Secrets.redact("http://user@host/x")).as("a user alone is not a secret outside redis").isEqualTo("http://user@host/x");
        assertThat(Secrets.redact("expected " + RedisUrl.SHAPE)).isEqualTo("expected " + RedisUrl.SHAPE);
        assertThat(Secrets.redact(null)).isNull();
    }

    @Test
    void registeredSecretsAreMaskedAnywhere() {
        Secrets.register("p@ss-Wörd/9");
        assertThat(Secrets.redact("AUTH failed for p@ss-Wörd/9 at redis://:p@ss-Wörd/9@h:1"))
                .isEqualTo("AUTH failed for *** at redis://:***@h:1").doesNotContain("ss-W");
    }

    @Test
    void aMalformedUrlsPasswordIsRegisteredBeforeParsingFails() {
        assertThatThrownBy(() -> RedisUrl.parse("redis://:not so secret@host:1"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.INPUT))
                .hasMessageNotContaining("not so secret").hasMessageContaining("redis://:***@host:1");
        assertThat(Secrets.redact("echo not so secret")).isEqualTo("echo ***");
        assertThatThrownBy(() -> RedisUrl.parse("redis://bob:a/b@host:1x"))
                .as("a short password with a slash is still hidden").hasMessageContaining("redis://bob:***@host:1x")
                .hasMessageNotContaining("a/b");
    }

    @Test
    void logbackConvertersRedactMessagesAndExceptions() {
        Secrets.register("logged-secret-1");
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("test"), Level.WARN, "cannot use {}",
                new IllegalStateException("wrapped", new RuntimeException("redis://u:logged-secret-1@h refused")),
                new Object[]{"redis://:logged-secret-1@h:6379"});
        RedactingMessageConverter message = new RedactingMessageConverter();
        assertThat(message.convert(event)).isEqualTo("cannot use redis://:***@h:6379");
        RedactingThrowableConverter throwable = new RedactingThrowableConverter();
        throwable.setContext(context);
        throwable.start();
        String rendered = throwable.convert(event);
        assertThat(rendered).doesNotContain("logged-secret-1").contains("redis://u:***@h refused")
                .as("one line per cause without --verbose").hasLineCount(2);
    }

    /**
     * The password the client authenticates with is registered, whatever its encoding in {@code REDIS_URL}: a {@code +}
     * stays a {@code +} (RedisUrl decodes it so), and the URL's password was registered as written and as
     * form-decoded ({@code +} as a space) only, so a password holding both a {@code +} and a percent-escape (a base64
     * secret with its {@code /} escaped) was masked in neither form it has at run time (review 2026-12-06). A Redis with
     * that password, started here, accepts the URL: the registered form is the password Redis knows.
     */
    @Test
    void theUrlsPasswordIsMaskedAsTheClientSendsIt() throws Exception {
        String password = "k3y+b64/Zx9=";
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis.embedded.RedisServer server = redis.embedded.RedisServer.builder().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no").setting("requirepass " + password).build();
        server.start();
        try (RedisConnection c = RedisConnection.of("redis://:k3y+b64%2FZx9%3D@127.0.0.1:" + port)) {
            assertThat(c.template().hasKey("x").block(java.time.Duration.ofSeconds(10))).isFalse();
            assertThat(Secrets.redact("AUTH " + password)).isEqualTo("AUTH ***");
        } finally {
            server.stop();
        }
    }
}
