package io.quantumtrader.app;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.QuantumTraderTopology;
import io.quantumtrader.trader.events.KillSwitch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** The operator's reset of the kill switch: publishes {@code active=false} to {@code risk.kill_switch.activated}. */
@Command(name = "kill-switch-reset", mixinStandardHelpOptions = true,
        description = "Reset the kill switch (a human decision): trading resumes on the next ticks. Needs REDIS_URL.")
final class KillSwitchResetCommand implements Callable<Integer> {

    @Option(names = "--namespace", defaultValue = "qt", description = "Redis key namespace of the running service (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--account", defaultValue = "paper", description = "account (default: ${DEFAULT-VALUE})")
    String account;

    @Option(names = "--reason", required = true, description = "why, for the audit log")
    String reason;

    @Override
    public Integer call() {
        String url = System.getenv("REDIS_URL");
        if (url == null || url.isBlank()) {
            System.err.println("REDIS_URL is not set: the reset must go to the Redis the service runs on");
            return 2;
        }
        try (RedisConnection redis = RedisConnection.of(url)) {
            long now = System.currentTimeMillis();
            String id = new EventPublisher(redis.template(), new StreamKeys(namespace), ReplayCommand.loadCatalog(),
                    "operator/" + System.getProperty("user.name"))
                    .send(QuantumTraderTopology.KILL_SWITCH, account, new KillSwitch(account, false, reason, 0, now), now)
                    .block();
            System.out.println("kill switch reset published as entry " + id);
            return 0;
        }
    }
}
