package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve --port 9191} served on 8080 without a word: Spring Boot read a setting "port" without value and the
 * word "9191" (review 2026-12-07). Arguments other than {@code --name=value} are refused before anything starts (in
 * this JVM: nothing starts).
 */
class ServeArgumentsTest {

    private static List<String> refused(String... args) {
        CommandLine cli = QuantumTraderCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        String[] line = new String[args.length + 1];
        line[0] = "serve";
        System.arraycopy(args, 0, line, 1, args.length);
        assertThat(cli.execute(line)).as(err.toString()).isEqualTo(2);
        return err.toString().lines().toList();
    }

    @Test
    void anArgumentThatIsNotASettingIsRefusedBeforeTheServiceStarts() {
        assertThat(refused("--port", "9191")).containsExactly("error: serve: '--port' is not a setting of the form --name=value",
                "  e.g. --server.port=9090 (see 'quantum-trader serve --help')");
        assertThat(refused("--port=9191")).containsExactly("error: serve: there is no setting 'port'",
                "  the HTTP port is --server.port=9191");
        assertThat(refused("9191")).first().asString().contains("'9191' is not a setting");
        ServeCommand.refuseNonSettings(List.of("--server.port=9090", "--quantum-trader.namespace=qt", "--logging.level.root=INFO", "--debug"));
    }
}
