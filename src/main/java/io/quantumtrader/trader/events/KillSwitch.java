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
 */
public record KillSwitch(String account, boolean active, String reason, double dailyLossPct, long activatedAt,
                         boolean rebaseDrawdown) {

    /** An activation, or a reset of the kill switch alone. */
    public KillSwitch(String account, boolean active, String reason, double dailyLossPct, long activatedAt) {
        this(account, active, reason, dailyLossPct, activatedAt, false);
    }
}
