package io.quantumtrader.trader.events;

/**
 * {@code risk.kill_switch.activated} (key: account): trading stops until a human reset.
 *
 * @param active         true: an activation; false: an operator's reset
 * @param dailyLossPct   on an activation: the day's loss of marked equity (realized and open positions at their marks),
 *                       percent of the day's starting marked equity
 * @param activatedAt    event time of the activation or the reset, epoch ms
 * @param rebaseDrawdown on a reset only: the operator also decided to measure the drawdown from the current marked equity on,
 *                       which ends HARD_DERISK and the maximum-drawdown halt ({@code kill-switch-reset --rebase-drawdown});
 *                       a plain reset clears the kill switch alone
 * @param operator       on a reset: who decided it ({@code kill-switch-reset --operator}), named in its audit entry; null
 *                       for an activation and for a reset published before 2026-12-07 (its audit entry then names nobody:
 *                       found in review, the operator was in the entry's envelope source only)
 */
public record KillSwitch(String account, boolean active, String reason, double dailyLossPct, long activatedAt,
                         boolean rebaseDrawdown, String operator) {

    /**
     * Most characters of a reason {@code kill-switch-reset} accepts, and of a reason its audit entry quotes (the rest
     * clipped): the audit entry must fit an entry (64 KiB by default).
     */
    public static final int MAX_REASON_CHARS = 1_000;
    /** Most characters of an operator's name {@code kill-switch-reset} accepts, and its audit entry quotes. */
    public static final int MAX_OPERATOR_CHARS = 100;

    /**
     * Checks what a foreign client may have written to {@code risk.kill_switch.activated} (found in review, 2026-12-08:
     * a reset with a blank account turned the kill switch off and its audit entry was dead-lettered: an unaudited
     * reset); an entry that fails is skipped by the global table ({@code invalid_value}, counted) and the account keeps
     * its kill switch. Only what no release ever stored is refused, so the portfolio's {@code kill-switch-resets} store
     * still loads after an upgrade (review of a first version, which refused long reasons: {@code
     * KillSwitchStoreUpgradeTest}); a long reason or operator is clipped in the audit entry instead ({@link #resetSummary()}).
     * The reason and operator are kept as Redis gives them back (UTF-8: an unpaired surrogate becomes {@code ?}), so a
     * reset read from the table equals the one the store gives back after a restart ({@code ResetAppliedAgainAfterRestartTest}).
     *
     * @throws IllegalArgumentException when the account is blank or the daily loss not a finite number
     */
    public KillSwitch {
        if (account == null || account.isBlank()) {
            throw new IllegalArgumentException("a kill switch names its account");
        }
        if (!Double.isFinite(dailyLossPct)) {
            throw new IllegalArgumentException("a kill switch's daily loss is a finite number, not " + dailyLossPct);
        }
        reason = asRedisKeepsIt(reason);
        operator = asRedisKeepsIt(operator);
    }

    /** @return {@code text} after a round trip through UTF-8 (what Redis gives back); null for null */
    private static String asRedisKeepsIt(String text) {
        return text == null ? null : new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An activation, or a reset of the kill switch alone, naming no operator. */
    public KillSwitch(String account, boolean active, String reason, double dailyLossPct, long activatedAt) {
        this(account, active, reason, dailyLossPct, activatedAt, false, null);
    }

    /** An activation, or a reset, naming no operator. */
    public KillSwitch(String account, boolean active, String reason, double dailyLossPct, long activatedAt,
                      boolean rebaseDrawdown) {
        this(account, active, reason, dailyLossPct, activatedAt, rebaseDrawdown, null);
    }

    /**
     * @return the summary of a reset's audit entry ({@code KILL_SWITCH_COMMAND}): {@code reset by <operator> (drawdown
     *         re-based): <reason>}, the parts it has
     */
    public String resetSummary() {
        return "reset" + (operator == null || operator.isBlank() ? "" : " by " + clip(operator, MAX_OPERATOR_CHARS))
                + (rebaseDrawdown ? " (drawdown re-based)" : "") + ": " + clip(reason, MAX_REASON_CHARS);
    }

    /** @return {@code text} cut to {@code max} characters with an ellipsis when longer (null as "null") */
    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? String.valueOf(text) : text.substring(0, max) + "…";
    }
}
