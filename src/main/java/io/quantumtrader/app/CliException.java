package io.quantumtrader.app;

/**
 * A failure the person running the command can act on: {@link #getMessage()} names the cause, {@link #hint()} what to
 * do, and {@link #exitCode()} is the process exit code. The CLI prints both lines (redacted, see {@link Secrets}) and a
 * stack trace only with {@code --verbose}.
 */
public class CliException extends RuntimeException {

    /** Exit code of a run that started and failed (e.g. the pipeline did not drain), or of an unexpected error. */
    public static final int FAILED = 1;
    /** Exit code of bad input: a usage error, a missing or unusable file, a malformed {@code REDIS_URL}, an unknown namespace. */
    public static final int INPUT = 2;
    /** Exit code when Redis cannot be used: unreachable, authentication failed, connection lost. */
    public static final int REDIS = 3;
    /** Exit code when the service cannot start for another reason (e.g. its port is in use). */
    public static final int SERVICE = 4;

    private final transient String hint;
    private final int exitCode;

    /**
     * @param exitCode one of the constants of this class
     * @param message  the cause, one line; must not contain a secret
     * @param hint     what to do about it, one line; may be null
     * @param cause    the underlying exception (shown with {@code --verbose}); may be null
     */
    public CliException(int exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    /** @return what to do about it, or null */
    public String hint() {
        return hint;
    }

    /** @return the process exit code */
    public int exitCode() {
        return exitCode;
    }
}
