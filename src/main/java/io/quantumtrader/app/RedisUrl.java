package io.quantumtrader.app;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

import java.util.List;

/**
 * Parses {@code REDIS_URL} ({@code redis[s]://[[user]:password@]host[:port][,host:port...][/db][?cluster=true]}):
 * a server or a cluster's seed nodes, with TLS for {@code rediss://}. The password is {@linkplain Secrets#register(String) registered} as a secret before anything can
 * fail, and no error message ever contains it: a malformed URL is quoted with its password replaced by {@code ***}.
 */
public final class RedisUrl {

    /** The accepted shape, for error messages and help. */
    public static final String SHAPE = "redis[s]://[[user]:password@]host[:port][,host:port...][/db][?cluster=true]";

    private RedisUrl() {
    }

    /**
     * @param url the value of {@code REDIS_URL}
     * @return host, port (default 6379), user, password and database of a standalone server
     * @throws CliException (exit code {@link CliException#INPUT}) when the URL is not of that shape or names a cluster
     */
    public static RedisStandaloneConfiguration parse(String url) {
        RedisTarget t = target(url);
        if (t.cluster()) {
            throw malformed(url, "it names a cluster; a single server was expected", null);
        }
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(t.nodes().get(0).host(), t.nodes().get(0).port());
        config.setUsername(t.username());
        if (t.password() != null) {
            config.setPassword(t.password());
        }
        config.setDatabase(t.database());
        return config;
    }

    /**
     * Parses {@code REDIS_URL}: {@code redis://} or {@code rediss://} (TLS), one host (a server) or several
     * comma-separated {@code host:port} (the seed nodes of a Redis Cluster), {@code ?cluster=true} for a cluster
     * reached through one seed address (e.g. a managed service's configuration endpoint).
     *
     * @return the target (TLS on for {@code rediss://}, with default trust settings)
     * @throws CliException (exit code {@link CliException#INPUT}) when the URL is malformed
     */
    public static RedisTarget target(String url) {
        registerPassword(url);
        String u = url.trim();
        int schemeEnd = u.indexOf("://");
        if (schemeEnd <= 0) {
            throw malformed(url, "no scheme", null);
        }
        String scheme = u.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw malformed(url, "scheme '" + u.substring(0, schemeEnd) + "' is not redis or rediss", null);
        }
        String rest = u.substring(schemeEnd + 3);
        // the user and password first, up to the last '@': a password may hold '?', '/' or '#' (a secret put into the
        // URL as it is), and split at the query first a piece of it was quoted as a host or port in the error
        // (found in review, 2026-12-05)
        int at = rest.lastIndexOf('@');
        String userInfo = at >= 0 ? rest.substring(0, at) : null;
        rest = at >= 0 ? rest.substring(at + 1) : rest;
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String hostsAndPath = rest;
        int slash = hostsAndPath.indexOf('/');
        String hosts = slash >= 0 ? hostsAndPath.substring(0, slash) : hostsAndPath;
        String path = slash >= 0 ? hostsAndPath.substring(slash + 1) : "";
        List<RedisTarget.HostPort> nodes = hostPorts(hosts, null, url);
        String user = null;
        String password = null;
        if (userInfo != null) {
            if (userInfo.chars().anyMatch(Character::isWhitespace)) {
                throw malformed(url, "a space in the user or password (percent-encode it as %20)", null);
            }
            int colon = userInfo.indexOf(':');
            String rawUser = colon >= 0 ? userInfo.substring(0, colon) : "";
            String rawPassword = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
            user = rawUser.isEmpty() ? null : decode(rawUser, url);
            password = decode(rawPassword, url);
        }
        int database = 0;
        if (!path.isEmpty()) {
            try {
                // any database the server has: its 'databases' setting (16 by default) may be larger; one it does not
                // have is refused by Redis at SELECT and reported by FailureMessages (0 to 15 only: review 2026-12-06)
                if (!path.matches("\\d+")) {
                    throw new NumberFormatException();
                }
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw malformed(url, "database '" + path + "' is not a number of 0 or more" + (path.matches("\\d+")
                        ? " up to " + Integer.MAX_VALUE : ""), null);
            }
        }
        boolean cluster = nodes.size() > 1;
        if (query != null) {
            for (String param : query.split("&")) {
                if (param.equalsIgnoreCase("cluster=true") || param.equalsIgnoreCase("cluster")) {
                    cluster = true;
                } else if (!param.isEmpty() && !param.equalsIgnoreCase("cluster=false")) {
                    throw malformed(url, "unknown parameter '" + param.replaceAll("=.*", "") + "' (only cluster=true is known)", null);
                }
            }
        }
        if (cluster && database != 0) {
            throw malformed(url, "a Redis Cluster has only database 0", null);
        }
        return new RedisTarget(nodes, cluster, user, password, database,
                scheme.equals("rediss") ? RedisTls.enabledWithDefaults() : RedisTls.NONE);
    }

    /**
     * @param list    the setting's value, {@code host:port,host:port}
     * @param setting the setting's name, for the error ({@code REDIS_CLUSTER_NODES})
     * @return the addresses (port 6379 when omitted)
     * @throws CliException (exit code {@link CliException#INPUT}) when the list is malformed; a user-info
     *                      ({@code user:password@host}, the shape of {@code REDIS_URL}'s authority) is refused with
     *                      everything up to its last {@code @} {@linkplain Secrets#register registered} and quoted as
     *                      {@code ***} (a password there was printed in clear: review 2026-12-06)
     */
    static List<RedisTarget.HostPort> hostPorts(String list, String setting) {
        int at = list.lastIndexOf('@');
        if (at >= 0) {
            registerUserInfos(list);
            throw badNodes(Secrets.MASK + list.substring(at), setting, "a user or password before '@': give the password in "
                    + RedisTarget.PASSWORD + ", or user and password in REDIS_URL");
        }
        return hostPorts(list, setting, list);
    }

    /**
     * Registers as secrets, for each {@code @} of a list of addresses, the text before it back to the previous
     * {@code @} or the list's start (commas included: a password may hold one), that text's last comma-separated part,
     * everything before the last {@code @} (a password may hold one), and the password of each (after the first {@code :}), percent-decoded too.
     */
    private static void registerUserInfos(String list) {
        int from = 0;
        for (int at = list.indexOf('@'); at >= 0; at = list.indexOf('@', at + 1)) {
            String before = list.substring(from, at);
            for (String userInfo : List.of(before, before.substring(before.lastIndexOf(',') + 1))) {
                registerWithDecoded(userInfo);
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    registerWithDecoded(userInfo.substring(colon + 1));
                }
            }
            from = at + 1;
        }
        String all = list.substring(0, list.lastIndexOf('@'));   // a password holding '@'
        registerWithDecoded(all);
        if (all.indexOf(':') >= 0) {
            registerWithDecoded(all.substring(all.indexOf(':') + 1));
        }
    }

    private static void registerWithDecoded(String secret) {
        Secrets.register(secret.trim());
        try {
            Secrets.register(java.net.URLDecoder.decode(secret.trim(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException ignored) {
            // not percent-encoded: registered as is
        }
    }

    private static List<RedisTarget.HostPort> hostPorts(String list, String setting, String quoted) {
        List<RedisTarget.HostPort> out = new java.util.ArrayList<>();
        for (String part : list.split(",")) {
            String hp = part.trim();
            if (hp.isEmpty()) {
                continue;
            }
            String host;
            String port = null;
            if (hp.startsWith("[")) {
                int close = hp.indexOf(']');
                if (close < 0) {
                    throw badNodes(quoted, setting, "unclosed '[' in '" + hp + "'");
                }
                host = hp.substring(1, close);
                if (hp.length() > close + 1) {
                    if (hp.charAt(close + 1) != ':') {
                        throw badNodes(quoted, setting, "'" + hp + "' is not [ipv6]:port");
                    }
                    port = hp.substring(close + 2);
                }
            } else {
                int colon = hp.lastIndexOf(':');
                host = colon >= 0 ? hp.substring(0, colon) : hp;
                port = colon >= 0 ? hp.substring(colon + 1) : null;
            }
            // a ':' in an unbracketed host is IPv6 only: hex groups (':secret:6379' was looked up as a host name)
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+") || (host.contains(":") && !host.matches("[0-9A-Fa-f:.%]+"))) {
                throw badNodes(quoted, setting, "no host, or a host with characters a host name cannot have, in '" + hp + "'");
            }
            int p = 6379;
            if (port != null) {
                try {
                    p = Integer.parseInt(port);
                    if (p < 1 || p > 65535) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw badNodes(quoted, setting, "port '" + port + "' is not a number from 1 to 65535");
                }
            }
            out.add(new RedisTarget.HostPort(host, p));
        }
        if (out.isEmpty()) {
            throw badNodes(quoted, setting, "no host");
        }
        return out;
    }

    private static CliException badNodes(String quoted, String setting, String reason) {
        if (setting == null) {
            return malformed(quoted, reason, null);
        }
        return new CliException(CliException.INPUT, setting + " is malformed (" + reason + "): " + Secrets.redact(quoted),
                "expected host:port,host:port,...", null);
    }

    private static String decode(String s, String url) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed(url, "bad percent-encoding in the user or password", null);
        }
    }

    private static CliException malformed(String url, String reason, Throwable cause) {
        return new CliException(CliException.INPUT, "REDIS_URL is malformed (" + reason + "): " + withoutPassword(url),
                "expected " + SHAPE + " (percent-encode special characters of the password)",
                cause);
    }

    /**
     * @return the URL with the value of every query parameter but {@code cluster} replaced by {@code ***}: other clients
     *         take a password there ({@code ?password=}, redis-py's form), and a URL refused for it was quoted with the
     *         password (found in review, 2026-12-07)
     */
    static String withoutQueryValues(String url) {
        // the query starts after the user-info: a '?' before the last '@' is the password's (found in review of this
        // masking, 2026-12-07: redis://app:Secr3t?x=y@host was quoted as redis://app:Secr3t?x=***)
        int q = url.indexOf('?', url.lastIndexOf('@') + 1);
        if (q < 0) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.substring(0, q + 1));
        String[] params = url.substring(q + 1).split("&", -1);
        for (int i = 0; i < params.length; i++) {
            String param = params[i];
            int eq = param.indexOf('=');
            out.append(i > 0 ? "&" : "").append(eq < 0 || param.substring(0, eq).equalsIgnoreCase("cluster")
                    ? param : param.substring(0, eq + 1) + Secrets.MASK);
        }
        return out.toString();
    }

    /**
     * @return the URL with everything between the user name and the last {@code @} replaced by {@code ***}, whatever
     *         characters the password has (so even a URL that does not parse is quoted safely)
     */
    static String withoutPassword(String url) {
        url = withoutQueryValues(url);
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return Secrets.redact(url);
        }
        if (scheme < 0 || at <= scheme) {
            // no scheme to find the user-info after ('redis//:pw@host', 'user:pw@host'): all before the '@' is masked
            // (found in review, 2026-12-05: such a URL was quoted with its password)
            return Secrets.MASK + Secrets.redact(url.substring(at));
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon >= 0 ? userInfo.substring(0, colon) + ":" : "";
        return Secrets.redact(url.substring(0, scheme + 3) + user + Secrets.MASK + url.substring(at));
    }

    /**
     * A URL without {@code @} has no user-info, but a password may be there all the same, its {@code @host} forgotten
     * ({@code redis://:secret}, {@code redis://user:secret/…}, {@code redis://:secret:6379}): every {@code :}-separated
     * piece of the authority after its host that is neither a port number nor an IPv6 group is registered, so the
     * error quoting it as a port or host is redacted (found in review, 2026-12-05).
     */
    private static void registerWithoutAt(String authorityAndRest) {
        String authority = authorityAndRest.split("[/?#]", 2)[0];
        for (String part : authority.split(",")) {
            String[] pieces = part.trim().split(":");
            for (int i = 1; i < pieces.length; i++) {
                String piece = pieces[i];
                if (!piece.matches("\\d*") && !piece.matches("[0-9A-Fa-f]{1,4}")) {
                    Secrets.register(piece);
                }
            }
        }
    }

    /** Registers the user-info password even when the URL does not parse, so no later message can echo it. */
    private static void registerPassword(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (at < 0) {
            registerWithoutAt(scheme < 0 ? url : url.substring(scheme + 3));
            return;
        }
        String userInfo = scheme < 0 || at <= scheme ? url.substring(url.lastIndexOf(':', at) + 1, at)
                : url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String password = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
        Secrets.register(password);
        try {
            Secrets.register(java.net.URLDecoder.decode(password, java.nio.charset.StandardCharsets.UTF_8));
            // as decode() gives it to the client: '+' kept (form-decoded alone, a password with a '+' and a
            // percent-escape was registered in neither form it has at run time: review 2026-12-06)
            Secrets.register(java.net.URLDecoder.decode(password.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException ignored) {
            // not percent-encoded: registered as is
        }
    }
}
