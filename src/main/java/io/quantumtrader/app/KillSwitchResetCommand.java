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
 * and says whether it was applied; exit code 1 when an activation replaced the reset before the portfolio applied it
 * (reset again), 0 with a warning when it was not applied within the wait (it stays in the table: the first tick or
 * signal applies it). Refuses (exit code 2) when {@code REDIS_URL} is not set, or when the namespace has no
 * kill-switch stream — no service ever ran in it, so the reset would go nowhere (usually a mistyped {@code --namespace}).
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
            if (!Boolean.TRUE.equals(redis.template().hasKey(stream).block())) {
                throw new CliException(CliException.INPUT, "namespace '" + namespace + "' has no kill-switch stream on "
                        + redis.description() + " (no " + stream + "): no service has run in it",
                        "check --namespace: it must be the service's quantum-trader.namespace (default qt)", null);
            }
            long now = System.currentTimeMillis();
            String id = new EventPublisher(redis.template(), keys, catalog, "operator/" + operator)
                    .send(QuantumTraderTopology.KILL_SWITCH, account, new KillSwitch(account, false, reason, 0, now, rebaseDrawdown), now)
                    .block();
            // the namespace named: a default that is not the service's would reset nothing (found in review, 2026-12-05)
            System.out.println("kill switch reset published to namespace '" + namespace + "' on " + redis.description()
                    + " as entry " + id + (rebaseDrawdown ? " (drawdown re-based)" : ""));
            if (wait.isZero() || wait.isNegative()) {
                return 0;
            }
            KillSwitch reset = new KillSwitch(account, false, reason, 0, now, rebaseDrawdown);
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
                case REPLACED -> throw new CliException(CliException.FAILED, "the reset was not applied: a kill switch activation ("
                        + result.replacedBy().reason() + ") replaced it in the table before the portfolio applied it",
                        "the kill switch is on again; if trading should still resume, run kill-switch-reset again", null);
                case PENDING -> {
                    System.err.println("warning: not applied within " + wait.toSeconds() + " s: the portfolio processed no tick or "
                            + "signal since (is the service running in namespace '" + namespace + "', are ticks arriving?); the reset "
                            + "stays in the kill-switch table and the first tick or signal applies it");
                    yield 0;
                }
            };
        }
    }
}
