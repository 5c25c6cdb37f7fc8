package io.quantumtrader.app;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyDescription;
import io.quantumtrader.trader.QuantumTraderTopology;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live topology page in a real browser: {@code serve} runs the trading topology on its own embedded Redis while
 * this test publishes real Bitstamp ticks; Debian's chromium, driven headless through chromium-driver, opens
 * {@code /topology} and must show every node and every stream the topology reads, drawn from the topology's
 * description, and numbers that move from one refresh to the next. Leaves a screenshot in
 * {@code target/live-topology.png} (docs/live-topology.png is a copy of one).
 */
class LiveTopologyPageTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final AtomicBoolean PUBLISHING = new AtomicBoolean(true);

    @TempDir
    static Path profile;
    static ConfigurableApplicationContext app;
    static Thread publisher;
    static ChromeDriver browser;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        Assumptions.assumeTrue(installed || "true".equals(System.getenv("CI")),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
        assertThat(installed).as("chromium and chromium-driver installed (.ci/run installs them)").isTrue();

        app = new SpringApplicationBuilder(QuantumTraderApplication.class)
                // command-line arguments: they win over application.yml (default properties would not)
                .run("--server.port=0", "--server.address=127.0.0.1",
                        "--quantum-trader.namespace=live-" + UUID.randomUUID().toString().substring(0, 8),
                        "--quantum-trader.instance-id=live-topology-test", "--quantum-trader.batch-size=100");
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
        publisher = new Thread(LiveTopologyPageTest::publishTicks, "tick-publisher");
        publisher.setDaemon(true);
        publisher.start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1600,1400", "--user-data-dir=" + profile.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        PUBLISHING.set(false);
        if (browser != null) {
            browser.quit();
        }
        if (publisher != null) {
            publisher.interrupt();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void drawsEveryNodeAndReadStreamAndItsNumbersMoveWhileTicksFlow() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/topology");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
        wait.until(d -> updates() >= 1);

        Topology topology = app.getBean(Topology.class);
        TopologyDescription description = topology.describe();
        Set<String> nodes = description.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .map(TopologyDescription.Node::name).collect(Collectors.toSet());
        Set<String> readStreams = description.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .filter(n -> n.kind() == io.quantumtrader.streams.dsl.internals.TopologyNode.Kind.SOURCE)
                .flatMap(n -> n.streams().stream()).collect(Collectors.toSet());
        List<WebElement> vertices = browser.findElements(By.cssSelector("svg#topology g.vertex"));
        Set<String> drawnNodes = vertices.stream().filter(v -> !"stream".equals(v.getDomAttribute("data-kind")))
                .map(v -> v.getDomAttribute("data-id")).collect(Collectors.toSet());
        Set<String> drawnStreams = vertices.stream().filter(v -> "stream".equals(v.getDomAttribute("data-kind")))
                .map(v -> v.getDomAttribute("data-id")).collect(Collectors.toSet());
        assertThat(drawnNodes).as("nodes drawn").isEqualTo(nodes).hasSize(113);
        assertThat(drawnStreams).as("streams the topology reads, drawn once").isEqualTo(readStreams);
        assertThat(browser.findElements(By.cssSelector("svg#topology path.edge"))).as("edges").hasSizeGreaterThan(nodes.size());
        assertThat(browser.findElements(By.cssSelector("svg#topology g.band"))).as("one band per sub-topology")
                .hasSize(description.subtopologies().size());
        for (String sinkOnly : List.of("regime.volatility.spike", "audit.decision.log")) {
            assertThat(browser.findElement(By.cssSelector("svg#topology")).getText()).as("stream %s in its sink's box", sinkOnly)
                    .contains("→ " + sinkOnly);
        }

        // numbers move: the candle builder's input count grows between refreshes, and rates show while ticks flow
        String candles = "g.vertex[data-id='candle-builder-window-aggregate']";
        double first = number(candles, "data-in");
        int seen = updates();
        wait.until(d -> updates() >= seen + 2 && number(candles, "data-in") > first);
        wait.until(d -> number("g.vertex[data-id='market.tick.price']", "data-rate") > 0
                && number("g.vertex[data-id='ticks']", "data-rate") > 0);
        assertThat(text("g.vertex[data-id='ticks'] text.live")).matches("reads [0-9.]+k?/s").isNotEqualTo("reads 0/s");
        assertThat(text("g.vertex[data-id='market.tick.price'] text.live")).startsWith("lag ").contains("/s");
        assertThat(browser.findElement(By.id("in-rate")).getText()).isNotIn("–", "0");
        assertThat(browser.findElement(By.id("health")).getText()).startsWith("health ");
        assertThat(browser.findElement(By.cssSelector("g.band text.task")).getText()).startsWith("task 0_0: demand ");
        assertThat(browser.findElements(By.cssSelector("g.vertex.active"))).as("vertices with records flowing").isNotEmpty();

        long height = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1600, (int) Math.min(4000, height + 200)));
        Thread.sleep(500);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(Path.of("target"));
        Files.copy(shot.toPath(), Path.of("target", "live-topology.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * When a reading fails (the service stopped, the network went away) the page no longer shows the last one as
     * current: before, the pills stayed green ("runtime RUNNING", "health UP") and the numbers stayed as they were, with
     * only the small "no reading" text at the right of the header to tell.
     */
    @Test
    void aFailedReadingShowsTheStatusAsUnknownNotTheLastGreenOne() {
        browser.get("http://127.0.0.1:" + port + "/topology");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
        wait.until(d -> updates() >= 1 && browser.findElement(By.id("health")).getText().equals("health UP")
                && browser.findElement(By.id("state")).getText().equals("runtime RUNNING"));

        // the browser can no longer reach the service
        ((JavascriptExecutor) browser).executeScript("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'))");
        wait.until(d -> browser.findElement(By.id("updated")).getText().startsWith("no reading"));

        assertThat(browser.findElement(By.id("health")).getText()).isEqualTo("health unknown");
        assertThat(browser.findElement(By.id("health")).getDomAttribute("class")).contains("bad");
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("runtime unknown");
        assertThat(browser.findElement(By.id("state")).getDomAttribute("class")).contains("bad");
        assertThat(browser.findElement(By.tagName("body")).getDomAttribute("class")).as("the last numbers are marked stale")
                .contains("stale");
        assertThat(browser.findElement(By.id("updated")).getText()).contains("Failed to fetch").contains("last reading");
    }

    /**
     * A lag the service could not read (its gauges are NaN after 3 failed reads: {@code StaleLagGaugesTest}; the
     * snapshot marks it {@code known: false}: {@code LiveTopologyUnknownLagTest}) shows on the stream as "lag
     * unknown", never as a number, and does not mark the stream as lagging; it shows as a number again at the next
     * reading that knows it. The browser's {@code fetch} is wrapped to mark the ticks stream's lag unknown in the
     * service's real readings.
     */
    @Test
    void aLagTheServiceCouldNotReadShowsAsUnknown() {
        browser.get("http://127.0.0.1:" + port + "/topology");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
        String ticks = "g.vertex[data-id='market.tick.price']";
        wait.until(d -> updates() >= 1 && text(ticks + " text.live").startsWith("lag "));

        ((JavascriptExecutor) browser).executeScript("""
                const real = window.fetch;
                window.fetch = async (url, options) => {
                  const r = await real(url, options);
                  if (!String(url).endsWith("/live.json") || !window.lagUnknown) return r;
                  const body = await r.json();
                  body.lag.filter(l => l.stream === "market.tick.price").forEach(l => { l.known = false; l.lag = 0; });
                  return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
                };
                window.lagUnknown = true;""");
        wait.until(d -> text(ticks + " text.live").startsWith("lag unknown · "));
        assertThat(text(ticks + " text.live")).as("no number for a lag nobody read").doesNotContain("pend");
        assertThat(browser.findElement(By.cssSelector(ticks)).getDomAttribute("data-lag")).isEqualTo("NaN");
        assertThat(java.util.Objects.toString(browser.findElement(By.cssSelector(ticks)).getDomAttribute("class"), ""))
                .doesNotContain("lagging");
        assertThat(java.util.Objects.toString(browser.findElement(By.tagName("body")).getDomAttribute("class"), ""))
                .as("the reading itself succeeded").doesNotContain("stale");

        ((JavascriptExecutor) browser).executeScript("window.lagUnknown = false;");
        wait.until(d -> text(ticks + " text.live").matches("lag [0-9.]+k? · pend .*"));
        assertThat(number(ticks, "data-lag")).isNotNaN();
    }

    private static int updates() {
        String n = browser.findElement(By.tagName("body")).getDomAttribute("data-updates");
        return n == null ? 0 : Integer.parseInt(n);
    }

    private static double number(String css, String attribute) {
        String v = browser.findElement(By.cssSelector(css)).getDomAttribute(attribute);
        return v == null || v.equals("NaN") ? Double.NaN : Double.parseDouble(v);
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** Publishes the bundled Bitstamp trades, 200 every 250 ms, until the test ends. */
    private static void publishTicks() {
        List<PriceTick> ticks;
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            ticks = TradesCsv.read(in, "BTC-USD").ticks();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        StreamsConfig config = app.getBean(StreamsConfig.class);
        EventPublisher events = new EventPublisher(app.getBean(ReactiveStringRedisTemplate.class), new StreamKeys(config.namespace()),
                config.catalog(), "live-topology-test");
        int next = 0;
        while (PUBLISHING.get() && next < ticks.size()) {
            List<PriceTick> chunk = ticks.subList(next, Math.min(ticks.size(), next + 200));
            next += chunk.size();
            try {
                events.sendAll(Flux.fromIterable(chunk).map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t, t.timestamp())), 200)
                        .block(Duration.ofSeconds(10));
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!PUBLISHING.get()) {
                    return;
                }
                throw e;
            }
        }
    }
}
