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
