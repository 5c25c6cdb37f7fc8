package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07) of the query masking: withoutPassword now masks the query first, taking the first '?' of
 * the whole URL as the query's start, also when it is inside the password. withoutPassword promises to quote a URL
 * safely "whatever characters the password has (so even a URL that does not parse is quoted safely)": a password with
 * '?' and '=' in it (not percent-encoded) had its part before the '?' printed, and the '@' masked away with the rest.
 */
class UrlPasswordWithQuestionMarkTest {

    @Test
    void aPasswordWithAQuestionMarkIsNotQuoted() {
        String quoted = RedisUrl.withoutPassword("redis://app:Secr3tPart?x=y@redis.example:6379/0");
        assertThat(quoted).doesNotContain("Secr3tPart");
    }

    @Test
    void aRefusedUrlWithSuchAPasswordIsNotQuotedInTheError() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> RedisUrl.target("redis://app:Secr3tPart?x=y@redis.example:6379/0?cluster=maybe"));
        assertThat(t).isNotNull();
        assertThat(String.valueOf(t.getMessage()) + " " + (t instanceof CliException c ? c.getMessage() : ""))
                .doesNotContain("Secr3tPart");
    }
}
