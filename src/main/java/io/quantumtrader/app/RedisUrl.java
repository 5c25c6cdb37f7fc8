package io.quantumtrader.app;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Parses {@code REDIS_URL} ({@code redis://[[user]:password@]host[:port][/db]}) into a Lettuce standalone
 * configuration. The password is {@linkplain Secrets#register(String) registered} as a secret before anything can
 * fail, and no error message ever contains it: a malformed URL is quoted with its password replaced by {@code ***}.
 */
public final class RedisUrl {

    /** The accepted shape, for error messages and help. */
    public static final String SHAPE = "redis://[[user]:password@]host[:port][/db]";

    private RedisUrl() {
    }

    /**
     * @param url the value of {@code REDIS_URL}
     * @return host, port (default 6379), user, password and database
     * @throws CliException (exit code {@link CliException#INPUT}) when the URL is not of that shape
     */
    public static RedisStandaloneConfiguration parse(String url) {
        registerPassword(url);
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw malformed(url, e.getReason() + " at character " + (e.getIndex() + 1), null);
        }
        if (!"redis".equalsIgnoreCase(uri.getScheme())) {
            throw malformed(url, uri.getScheme() == null ? "no scheme" : "scheme '" + uri.getScheme() + "' is not redis"
                    + ("rediss".equalsIgnoreCase(uri.getScheme()) ? " (TLS is not supported yet)" : ""), null);
        }
        if (uri.getHost() == null) {
            throw malformed(url, "no host, or a port that is not a number", null);
        }
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                if (colon > 0) {
                    config.setUsername(userInfo.substring(0, colon));
                }
                config.setPassword(userInfo.substring(colon + 1));
            } else {
                config.setPassword(userInfo);
            }
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                config.setDatabase(Integer.parseInt(path.substring(1)));
            } catch (IllegalArgumentException e) {
                throw malformed(url, "database '" + path.substring(1) + "' is not a number from 0 to 15", null);
            }
        }
        return config;
    }

    private static CliException malformed(String url, String reason, Throwable cause) {
        return new CliException(CliException.INPUT, "REDIS_URL is malformed (" + reason + "): " + Secrets.redact(url),
                "expected " + SHAPE + " (percent-encode special characters of the password)",
                cause);
    }

    /** Registers the user-info password even when the URL does not parse, so no later message can echo it. */
    private static void registerPassword(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at <= scheme) {
            return;
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String password = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
        Secrets.register(password);
        try {
            Secrets.register(java.net.URLDecoder.decode(password, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException ignored) {
            // not percent-encoded: registered as is
        }
    }
}
