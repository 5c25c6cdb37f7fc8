package io.quantumtrader.app;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of everything a person or a log collector reads: {@link #redact(String)} replaces the password of
 * any URL with user info ({@code redis://user:pw@host} becomes {@code redis://user:***@host}) and every secret
 * {@linkplain #register(String) registered} by this process (the Redis password of {@code REDIS_URL}) with
 * {@code ***}. The CLI's error messages and every log line (the logback converters in {@code logback.xml}) go through it.
 */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    /** Secrets shorter than this are not searched for in free text (a 1-3 character password would garble every line). */
    static final int MIN_LENGTH = 4;

    /**
     * {@code scheme://user:password@} or {@code scheme://password@} (Redis' password-only form); a user never contains
     * {@code [} so that a documented shape such as {@code redis://[[user]:password@]host} stays readable.
     */
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^\\s/@:\\[]*)(:[^\\s/@]*)?@");

    private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();

    private Secrets() {
    }

    /** @param secret a value that must never be printed or logged, e.g. a password; ignored when null or empty */
    public static void register(String secret) {
        if (secret != null && !secret.isEmpty()) {
            SECRETS.add(secret);
        }
    }

    /** @return {@code text} with URL passwords and registered secrets replaced by {@value #MASK}; null stays null */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        // longest first: a secret that contains a shorter one (or starts with it) is masked whole
        for (String secret : SECRETS.stream().sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList()) {
            if (secret.length() >= MIN_LENGTH && out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return maskUrlPasswords(out);
    }

    private static String maskUrlPasswords(String text) {
        if (!text.contains("://")) {
            return text;
        }
        Matcher m = URL_USER_INFO.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String scheme = m.group(1);
            String user = m.group(2);
            String replacement = m.group(3) != null
                    ? scheme + user + ":" + MASK + "@"          // user:password@ (user may be empty)
                    : scheme.toLowerCase().startsWith("redis") ? scheme + MASK + "@" : m.group();  // redis://password@
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
