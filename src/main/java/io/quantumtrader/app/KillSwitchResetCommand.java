package io.quantumtrader.app;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.QuantumTraderTopology;
import io.quantumtrader.trader.events.KillSwitch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * The operator's reset of the kill switch: publishes {@code active=false} to {@code risk.kill_switch.activated}. The
 * portfolio applies it at its next tick or signal: the kill switch off, and with {@code --rebase-drawdown} the drawdown
 * measured from the current marked equity on (realized equity plus the open positions at their marks), which ends
 * HARD_DERISK and the maximum-drawdown halt at once ({@code Account.drawdownRebased()}; the de-risk state is recomputed
 * then). It then waits up to {@code --wait} (30 s) for the portfolio's audit entry of the reset ({@link ResetConfirmation})
 * and says whether it was applied; exit code 1 when an activation or a later reset replaced the reset before the
 * portfolio applied it, or when the kill switch tripped again on the tick that applied it (the day's loss still past the
 * limit), 0 with a warning when it was not applied within the wait (it stays in the table: the first tick or signal
 * applies it). Refuses (exit code 2) before publishing anything when {@code --reason} or {@code --operator} is blank or
 * {@code --wait} negative, when {@code REDIS_URL} is not set, or when the namespace has neither a kill-switch stream nor
 * a topology — no service ever ran in it, so the reset would go nowhere (usually a mistyped {@code --namespace}).
 */
@Command(name = "kill-switch-reset", mixinStandardHelpOptions = true,
        description = "Reset the kill switch (a human decision; with --rebase-drawdown the drawdown halts too): trading "
                + "resumes on the next ticks. Needs REDIS_URL.")
final class KillSwitchResetCommand implements Callable<Integer> {

    @Option(names = "--namespace", defaultValue = "${env:QT_NAMESPACE:-qt}",
            description = "Redis key namespace of the running service, its quantum-trader.namespace (default: QT_NAMESPACE, else qt: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--operator", defaultValue = "${sys:user.name}",
            description = "who decides the reset, for the audit log (default: the OS user, ${DEFAULT-VALUE}; in a container pass your name)")
    String operator;

    @Option(names = "--account", defaultValue = "paper", description = "account (default: ${DEFAULT-VALUE})")
    String account;

    @Option(names = "--reason", required = true, description = "why, for the audit log")
    String reason;

    @Option(names = "--rebase-drawdown", description = "also measure the drawdown from the current marked equity on: ends "
            + "HARD_DERISK and the maximum-drawdown halt (a separate decision: a plain reset clears the kill switch alone)")
    boolean rebaseDrawdown;

    @Option(names = "--wait", defaultValue = "30s",
            description = "how long to wait for the portfolio to apply the reset (its audit entry), e.g. 2m, 90s or PT2M; 0s = do not wait (default: ${DEFAULT-VALUE})")
    java.time.Duration wait;

    @Override
    public Integer call() {
        if (!io.quantumtrader.trader.risk.Account.PAPER.equals(account)) {
            // before anything is published: a typo went into the permanent kill-switch stream, then a warning, exit 0
            // (found in review, 2026-12-07)
            throw new CliException(CliException.INPUT, "unknown account '" + account + "': the portfolio trades the account '"
                    + io.quantumtrader.trader.risk.Account.PAPER + "' only", "leave --account out, or give --account "
                    + io.quantumtrader.trader.risk.Account.PAPER, null);
        }
        // before anything is published: a blank reason went into the permanent stream and the audit log as "reset: "
        // (found in review, 2026-12-07)
        if (reason == null || reason.isBlank()) {
            throw new CliException(CliException.INPUT, "--reason is blank: the audit log keeps why the kill switch was reset",
                    "say why, e.g. --reason \"reviewed the day's losses with risk\"", null);
        }
        if (reason.strip().length() > io.quantumtrader.trader.events.KillSwitch.MAX_REASON_CHARS) {
            throw new CliException(CliException.INPUT, "--reason has " + reason.strip().length() + " characters, more than the "
                    + io.quantumtrader.trader.events.KillSwitch.MAX_REASON_CHARS + " a reset's audit entry keeps",
                    "say it in fewer words", null);
        }
        if (wait.isNegative()) {
            throw new CliException(CliException.INPUT, "--wait " + wait + " is negative", "give 0s (do not wait) or a duration such as 30s", null);
        }
        if (operator == null || operator.isBlank()) {
            throw new CliException(CliException.INPUT, "--operator is blank: the audit log keeps who reset the kill switch",
                    "give your name, e.g. --operator jane.doe", null);
        }
        if (operator.strip().length() > io.quantumtrader.trader.events.KillSwitch.MAX_OPERATOR_CHARS) {
            throw new CliException(CliException.INPUT, "--operator has " + operator.strip().length() + " characters, more than "
                    + io.quantumtrader.trader.events.KillSwitch.MAX_OPERATOR_CHARS, "give your name or login, e.g. --operator jane.doe", null);
        }
        RedisTarget target = RedisTarget.fromEnvironment(System.getenv());
        if (target == null) {
            throw new CliException(CliException.INPUT, "REDIS_URL is not set: the reset must go to the Redis the service runs on",
                    "set REDIS_URL=" + RedisUrl.SHAPE, null);
        }
        StreamKeys keys;
        try {
            keys = new StreamKeys(namespace);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.INPUT, e.getMessage(), "check --namespace (the service's quantum-trader.namespace)", e);
        }
        StreamCatalog catalog = ReplayCommand.loadCatalog();
        try (RedisConnection redis = RedisConnection.of(target)) {
            String stream = keys.stream(QuantumTraderTopology.KILL_SWITCH,
                    Partitioner.partition(account, catalog.spec(QuantumTraderTopology.KILL_SWITCH).partitions()));
            // the kill-switch stream exists once the kill switch tripped; the topologies hash once any runtime ran here:
            // an account halted by its drawdown alone (never a trip) has only the second, and its re-base was refused
            // as "no service has run in it" (found in review, 2026-12-07)
            if (!Boolean.TRUE.equals(redis.template().hasKey(stream).block())
                    && !Boolean.TRUE.equals(redis.template().hasKey(keys.topologies()).block())) {
                throw new CliException(CliException.INPUT, "namespace '" + namespace + "' has no kill-switch stream and no "
                        + "topology on " + redis.description() + " (no " + stream + ", no " + keys.topologies()
                        + "): no service has run in it",
                        "check --namespace: it must be the service's quantum-trader.namespace (default qt)", null);
            }
            long now = System.currentTimeMillis();
            KillSwitch reset = new KillSwitch(account, false, reason.strip(), 0, now, rebaseDrawdown, operator.strip());
            String id = new EventPublisher(redis.template(), keys, catalog, "operator/" + operator.strip())
                    .send(QuantumTraderTopology.KILL_SWITCH, account, reset, now)
                    .block();
            // the namespace named: a default that is not the service's would reset nothing (found in review, 2026-12-05)
            System.out.println("kill switch reset published to namespace '" + namespace + "' on " + redis.description()
                    + " as entry " + id + (rebaseDrawdown ? " (drawdown re-based)" : ""));
            if (wait.isZero()) {
                return 0;
            }
            ResetConfirmation.Result result;
            try {
                result = new ResetConfirmation(redis.template(), keys, catalog, System::currentTimeMillis)
                        .await(reset, id, wait, java.time.Duration.ofMillis(250));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CliException.FAILED;
            }
            return switch (result.outcome()) {
                case APPLIED -> {
                    System.out.println("applied by the portfolio (audit.decision.log " + result.audit().decisionType() + " "
                            + result.audit().decisionId() + ": " + result.audit().summary() + ")");
                    yield 0;
                }
                case APPLIED_THEN_TRIPPED -> throw new CliException(CliException.FAILED, "the reset was applied (audit.decision.log "
                        + result.audit().decisionId() + ") but the kill switch tripped again since: " + result.replacedBy().reason(),
                        "the day's loss is still past the limit: trading resumes at the next UTC day or once the loss is "
                                + "within the limit; a reset now trips it again", null);
                case REPLACED -> throw result.replacedBy().active()
                        ? new CliException(CliException.FAILED, "the reset was not applied: a kill switch activation ("
                                + result.replacedBy().reason() + ") replaced it in the table before the portfolio applied it",
                                "the kill switch is on again; if trading should still resume, run kill-switch-reset again", null)
                        : new CliException(CliException.FAILED, "the reset was not applied: a later reset ("
                                + result.replacedBy().resetSummary() + ") replaced it in the table before the portfolio applied it"
                                + (reset.rebaseDrawdown() && !result.replacedBy().rebaseDrawdown() ? "; this reset's drawdown re-base is lost" : ""),
                                reset.rebaseDrawdown() && !result.replacedBy().rebaseDrawdown()
                                        ? "run kill-switch-reset --rebase-drawdown again if the drawdown should still be re-based"
                                        : "the later reset applies in its place", null);
                case PENDING -> {
                    System.err.println("warning: not applied within " + waitText(wait) + ": the portfolio processed no tick or "
                            + "signal since (is the service running in namespace '" + namespace + "', are ticks arriving?); the reset "
                            + "stays in the kill-switch table and the first tick or signal applies it");
                    yield 0;
                }
            };
        }
    }

    /** @return the wait in words: whole seconds, or ms below a second ({@code toSeconds} said "0 s" for 500 ms) */
    private static String waitText(java.time.Duration wait) {
        return wait.toMillis() < 1000 ? wait.toMillis() + " ms" : wait.toSeconds() + " s";
    }
}
