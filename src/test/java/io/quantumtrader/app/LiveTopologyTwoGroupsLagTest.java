package io.quantumtrader.app;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): the live topology page added up the lag of every consumer group that reads a stream
 * (topology.js, the stream vertex: {@code now.lag.filter(l => l.stream === v.name)} then a sum), though the meters are
 * per group and {@code max-lag} holds per group. Two sub-topologies reading one stream (each keeps its own group,
 * docs/OPERATIONS.md "Scaling"), each 600 entries behind, were drawn as "lag 1.2k" and red, an entry count no group
 * has, while the health was UP. The vertex now shows the largest lag of one group (summed over its partitions) and turns
 * red by it. The page is served here as {@code serve} serves it (the same class-path files), with graph.json and
 * live.json given by the test: no Redis, no Spring.
 */
class LiveTopologyTwoGroupsLagTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static final String GRAPH = """
            {"application":"app","partitions":{"s":1,"out0":1,"out1":1},"description":{"subtopologies":[
             {"id":0,"global":false,"nodes":[
              {"kind":"SOURCE","name":"src0","streams":["s"],"stores":[],"successors":["p0"],"predecessors":[]},
              {"kind":"PROCESSOR","name":"p0","streams":[],"stores":[],"successors":["sink0"],"predecessors":["src0"]},
              {"kind":"SINK","name":"sink0","streams":["out0"],"stores":[],"successors":[],"predecessors":["p0"]}]},
             {"id":1,"global":false,"nodes":[
              {"kind":"SOURCE","name":"src1","streams":["s"],"stores":[],"successors":["p1"],"predecessors":[]},
              {"kind":"PROCESSOR","name":"p1","streams":[],"stores":[],"successors":["sink1"],"predecessors":["src1"]},
              {"kind":"SINK","name":"sink1","streams":["out1"],"stores":[],"successors":[],"predecessors":["p1"]}]}]}}
            """;

    static String live() {
        return """
                {"time":%d,"state":1,"health":2,"totals":{"recordsIn":0,"recordsOut":0,"commits":0,"deadLettered":0,
                 "lateDropped":0,"dropped":0,"taskRestarts":0,"processorRetries":0,"reclaimed":0},
                 "nodes":{"p0":{"in":0,"out":0,"processSeconds":0},"p1":{"in":0,"out":0,"processSeconds":0}},
                 "lag":[{"group":"app.0","stream":"s","partition":0,"lag":600,"pending":0,"oldestPendingAgeSeconds":0,"known":true},
                        {"group":"app.1","stream":"s","partition":0,"lag":600,"pending":0,"oldestPendingAgeSeconds":0,"known":true}],
                 "tasks":[]}
                """.formatted(System.currentTimeMillis());
    }

    @TempDir
    Path profile;

    @Test
    void twoGroupsEach600BehindAreNotOneStream1200Behind() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "needs chromium");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            String type;
            if (path.equals("/topology/graph.json")) {
                body = GRAPH.getBytes(StandardCharsets.UTF_8);
                type = "application/json";
            } else if (path.equals("/topology/live.json")) {
                body = live().getBytes(StandardCharsets.UTF_8);
                type = "application/json";
            } else {
                String file = path.equals("/topology") ? "index.html" : path.replace("/topology/assets/", "");
                try (InputStream in = getClass().getResourceAsStream("/" + OperationsConfiguration.ASSETS + file)) {
                    if (in == null) {
                        exchange.sendResponseHeaders(404, -1);
                        exchange.close();
                        return;
                    }
                    body = in.readAllBytes();
                }
                type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1600,1000", "--user-data-dir=" + profile.resolve("chromium"));
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
        try {
            browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/topology");
            new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100)).until(b ->
                    Integer.parseInt(String.valueOf(((JavascriptExecutor) b).executeScript(
                            "return document.body.getAttribute('data-updates') || '0'"))) >= 1);
            WebElement stream = browser.findElement(By.cssSelector("g.vertex.stream[data-id='s']"));
            String shown = stream.findElement(By.cssSelector("text.live")).getText();
            assertThat(stream.getAttribute("class")).as("stream s, each of its 2 groups 600 behind (shows: %s)", shown)
                    .doesNotContain("lagging");
            assertThat(shown).as("the lag the vertex shows").doesNotContain("1.2k").startsWith("lag 600 ");
            assertThat(stream.getDomAttribute("data-lag")).isEqualTo("600");
        } finally {
            browser.quit();
            server.stop(0);
        }
    }
}
