package io.quantumtrader.trader.events;

/** {@code risk.kill_switch.activated} (key: account): trading stops until a human reset. */
public record KillSwitch(String account, boolean active, String reason, double dailyLossPct, long activatedAt) {
}
