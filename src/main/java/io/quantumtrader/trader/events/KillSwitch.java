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

    /** Most characters of a reason: its audit entry quotes it, and must fit an entry (64 KiB by default). */
    public static final int MAX_REASON_CHARS = 1_000;
    /** Most characters of an operator's name. */
    public static final int MAX_OPERATOR_CHARS = 100;

    /**
     * Checks what a foreign client may have written to {@code risk.kill_switch.activated} (found in review, 2026-12-08:
     * a reset with a blank account, or a reason filling its entry, turned the kill switch off and its audit entry was
     * dead-lettered: an unaudited reset). An entry that fails is skipped by the global table ({@code invalid_value},
     * counted), and the account keeps its kill switch.
     *
     * @throws IllegalArgumentException when the account is blank, the reason longer than {@link #MAX_REASON_CHARS}, the
     *                                  operator longer than {@link #MAX_OPERATOR_CHARS}, or the daily loss not a finite
     *                                  number
     */
    public KillSwitch {
        if (account == null || account.isBlank()) {
            throw new IllegalArgumentException("a kill switch names its account");
        }
        // a blank or missing reason is audited as such ("reset: "): refused by kill-switch-reset since 2026-12-07, and
        // read from entries written before (refused here, the replica would skip them and a stored one fail to load)
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            throw new IllegalArgumentException("a kill switch's reason has at most " + MAX_REASON_CHARS + " characters, not "
                    + reason.length());
        }
        if (operator != null && operator.length() > MAX_OPERATOR_CHARS) {
            throw new IllegalArgumentException("a kill switch's operator has at most " + MAX_OPERATOR_CHARS + " characters, not "
                    + operator.length());
        }
        if (!Double.isFinite(dailyLossPct)) {
            throw new IllegalArgumentException("a kill switch's daily loss is a finite number, not " + dailyLossPct);
        }
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
        return "reset" + (operator == null || operator.isBlank() ? "" : " by " + operator)
                + (rebaseDrawdown ? " (drawdown re-based)" : "") + ": " + reason;
    }
}
