package dev.tracelight.collector.traceview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelight.collector.Collector;
import dev.tracelight.collector.config.CollectorConfig;
import dev.tracelight.collector.config.ConfigReader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end in a real browser: the OpenTelemetry SDK sends a known trace (three services, nested spans, one error) over
 * OTLP/HTTP to a running collector-lite whose traces pipeline ends in the traceview exporter; Debian's headless Chromium,
 * driven by Selenium, opens the list, follows the trace and reads the waterfall and a span's details. Skipped, saying
 * why, when Chromium or its driver is not installed. Screenshots go to target/traceview-*.png.
 */
class TraceViewBrowserTest {
  private static final String CHROMIUM = System.getProperty("traceview.chromium", "/usr/bin/chromium");
  private static final String CHROMEDRIVER = System.getProperty("traceview.chromedriver", "/usr/bin/chromedriver");
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final long MS = 1_000_000;
  /** A span name that would run script if the page ever treated span data as markup. */
  private static final String HOSTILE_NAME = "GET /health <img src=x onerror=\"document.title='pwned'\">";
  private static final boolean CHROMIUM_INSTALLED = new File(CHROMIUM).canExecute()
      && new File(CHROMEDRIVER).canExecute();
  private static final String SKIPPED = "Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): the trace "
      + "view browser test is skipped. Install Debian's chromium and chromium-driver packages to run it.";

  private static Collector collector;
  private static String view;
  private static ChromeDriverService driverService;
  private static WebDriver browser;
  private static Path profile;
  /** Span name → span id, as the SDK made them; the order is the waterfall's. */
  private static final Map<String, String> ids = new LinkedHashMap<>();
  private static String checkoutTraceId;

  @BeforeAll
  static void start() throws Exception {
    if (!CHROMIUM_INSTALLED) {
      System.err.println(SKIPPED);
      return;
    }
    collector = startCollector();
    InetSocketAddress otlp = collector.httpAddress("otlp");
    sendKnownTraces("http://127.0.0.1:" + otlp.getPort() + "/v1/traces");
    awaitStored(checkoutTraceId, 7, 2);
    browser = startBrowser();
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (driverService != null) {
      driverService.stop();
    }
    if (collector != null) {
      collector.shutdown(Duration.ZERO);
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void listsTheTraceOpensItsWaterfallWithEverySpanNestedAndShowsASpansDetails() throws Exception {
    Assumptions.assumeTrue(CHROMIUM_INSTALLED, SKIPPED);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.withMessage(() -> "on " + browser.getCurrentUrl() + ", browser console: " + console());
    browser.get(view + "/");

    // the list: both traces, newest first; the checkout trace marked as failed
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#trace-list tr.trace-row"), 2));
    List<WebElement> rows = browser.findElements(By.cssSelector("#trace-list tr.trace-row"));
    WebElement checkoutRow = rows.get(1);
    // span data is shown as text, never run as markup
    assertThat(rows.get(0).findElement(By.cssSelector(".root-name")).getText()).isEqualTo(HOSTILE_NAME);
    assertThat(browser.findElements(By.cssSelector("#trace-list img"))).isEmpty();
    assertThat(checkoutRow.getDomAttribute("data-trace-id")).isEqualTo(checkoutTraceId);
    assertThat(checkoutRow.findElement(By.cssSelector(".trace-link")).getText()).isEqualTo("frontend GET /checkout");
    assertThat(checkoutRow.findElement(By.cssSelector(".error-badge")).getText()).isEqualTo("1 error");
    assertThat(checkoutRow.findElement(By.cssSelector("td.spans")).getText()).isEqualTo("7");
    assertThat(checkoutRow.findElement(By.cssSelector("td.duration .duration-text")).getText()).isEqualTo("420ms");
    assertThat(checkoutRow.findElements(By.cssSelector("td.services .chip"))).extracting(WebElement::getText)
        .containsExactly("frontend", "checkout", "payments");
    assertThat(browser.findElement(By.id("store-usage")).getText())
        .isEqualTo("Keeping 2 of at most 100 traces and 8 of 1000 spans; 0 older traces let go.");

    // the errors-only filter leaves the failed trace
    browser.findElement(By.id("filter-errors")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#trace-list tr.trace-row"), 1));
    assertThat(browser.findElement(By.cssSelector("#trace-list tr.trace-row")).getDomAttribute("data-trace-id"))
        .isEqualTo(checkoutTraceId);
    assertThat(browser.getCurrentUrl()).isEqualTo(view + "/?error=true");
    screenshot("traceview-list.png");

    // the trace page: every span, in tree order, nested under its parent
    browser.findElement(By.cssSelector("#trace-list tr.trace-row .trace-link")).click();
    wait.until(ExpectedConditions.urlToBe(view + "/trace/" + checkoutTraceId));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#waterfall .span-row"), 7));
    List<String> tree = new ArrayList<>();
    for (WebElement row : browser.findElements(By.cssSelector("#waterfall .span-row"))) {
      tree.add("  ".repeat(Integer.parseInt(row.getDomAttribute("data-depth")))
          + row.findElement(By.cssSelector(".span-service")).getText() + " "
          + row.findElement(By.cssSelector(".span-name")).getText()
          + " [" + row.getDomAttribute("data-span-id") + " < " + row.getDomAttribute("data-parent-id") + "]"
          + (row.getDomAttribute("class").contains("error") ? " ERROR" : ""));
    }
    assertThat(tree).containsExactly(
        "frontend GET /checkout [" + ids.get("GET /checkout") + " < ]",
        "  frontend render cart [" + ids.get("render cart") + " < " + ids.get("GET /checkout") + "]",
        "  frontend POST /api/orders [" + ids.get("frontend POST /api/orders") + " < " + ids.get("GET /checkout") + "]",
        "    checkout POST /api/orders [" + ids.get("checkout POST /api/orders") + " < "
            + ids.get("frontend POST /api/orders") + "]",
        "      checkout SELECT shop.orders [" + ids.get("SELECT shop.orders") + " < "
            + ids.get("checkout POST /api/orders") + "]",
        "      checkout POST /charge [" + ids.get("checkout POST /charge") + " < " + ids.get("checkout POST /api/orders")
            + "]",
        "        payments POST /charge [" + ids.get("payments POST /charge") + " < " + ids.get("checkout POST /charge")
            + "] ERROR");

    // durations to scale: the charge call starts at 200 ms and lasts 180 ms of the trace's 420 ms
    WebElement charge = row(ids.get("payments POST /charge"));
    Rectangle track = charge.findElement(By.cssSelector(".wf-track")).getRect();
    Rectangle bar = charge.findElement(By.cssSelector(".span-bar")).getRect();
    assertThat((bar.getX() - track.getX()) / (double) track.getWidth()).isCloseTo(200 / 420.0, within(0.01));
    assertThat(bar.getWidth() / (double) track.getWidth()).isCloseTo(180 / 420.0, within(0.01));
    Rectangle rootBar = row(ids.get("GET /checkout")).findElement(By.cssSelector(".span-bar")).getRect();
    assertThat(rootBar.getWidth() / (double) track.getWidth()).isCloseTo(1.0, within(0.01));

    // a span's side panel: attributes, events, links, resource
    charge.click();
    WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("span-detail")));
    assertThat(panel.findElement(By.id("detail-name")).getText()).isEqualTo("POST /charge");
    assertThat(attributes(panel, "#detail-attributes")).containsExactly(
        Map.entry("http.request.method", "POST"),
        Map.entry("http.response.status_code", "502"),
        Map.entry("http.route", "/charge"),
        Map.entry("payment.amount_cents", "4200"));
    assertThat(panel.findElement(By.cssSelector("#detail-events .event-head")).getText())
        .isEqualTo("exception at +350ms");
    assertThat(attributes(panel, "#detail-events")).containsEntry("exception.type", "java.lang.IllegalStateException")
        .containsEntry("exception.message", "card declined by issuer");
    assertThat(panel.findElement(By.cssSelector("#detail-links a")).getDomAttribute("href"))
        .isEqualTo("/trace/0af7651916cd43dd8448eb211c80319c#span=b7ad6b7169203331");
    assertThat(attributes(panel, "#detail-resource")).containsEntry("service.name", "payments")
        .containsEntry("deployment.environment.name", "demo");
    assertThat(panel.getText()).contains("ERROR: card declined");
    assertThat(browser.getCurrentUrl()).isEqualTo(view + "/trace/" + checkoutTraceId + "#span="
        + ids.get("payments POST /charge"));
    screenshot("traceview-trace.png");

    // a deep link with the span opens the trace with that span's panel
    browser.get(view + "/");
    browser.get(view + "/trace/" + checkoutTraceId + "#span=" + ids.get("SELECT shop.orders"));
    WebElement linked = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("span-detail")));
    assertThat(linked.findElement(By.id("detail-name")).getText()).isEqualTo("SELECT shop.orders");
    assertThat(row(ids.get("SELECT shop.orders")).getDomAttribute("class")).contains("selected");
    assertThat(console()).as("errors in the browser console").isEmpty();
  }

  /** What the page logged at SEVERE (script errors, failed requests). */
  private static List<String> console() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
  }

  private static WebElement row(String spanId) {
    return browser.findElement(By.cssSelector("#waterfall .span-row[data-span-id='" + spanId + "']"));
  }

  private static Map<String, String> attributes(WebElement panel, String section) {
    Map<String, String> out = new LinkedHashMap<>();
    for (WebElement row : panel.findElements(By.cssSelector(section + " tr.attr-row"))) {
      out.put(row.getDomAttribute("data-key"), row.findElement(By.tagName("td")).getText());
    }
    return out;
  }

  private static void screenshot(String name) throws IOException {
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The test's collector config; the trace view's port is picked now, and picked again if taken meanwhile. */
  private static Collector startCollector() throws Exception {
    String yaml;
    try (InputStream in = TraceViewBrowserTest.class.getResourceAsStream("/traceview/collector.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      CollectorConfig config = ConfigReader.create(Map.of("TRACEVIEW_ENDPOINT", "127.0.0.1:" + port), false,
          Runtime.getRuntime().maxMemory()).read("traceview/collector.yaml", yaml);
      try {
        Collector started = Collector.start(config);
        view = "http://127.0.0.1:" + port;
        return started;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * Trace one: frontend GET /checkout (0–420 ms) calls checkout, which queries its database and calls payments, which
   * fails. Trace two: a short health check with a hostile name. One SDK per service, each exporting every span as it
   * ends (children before parents, in several requests).
   */
  private static void sendKnownTraces(String endpoint) {
    SdkTracerProvider frontend = provider("frontend", endpoint);
    SdkTracerProvider checkout = provider("checkout", endpoint);
    SdkTracerProvider payments = provider("payments", endpoint);
    try {
      long t0 = System.currentTimeMillis() * MS - 5_000 * MS;
      Tracer fe = frontend.get("shop-frontend");
      Tracer co = checkout.get("shop-checkout");
      Tracer pa = payments.get("shop-payments");

      Span root = fe.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(t0, TimeUnit.NANOSECONDS)
          .setAttribute("http.request.method", "GET").setAttribute("http.route", "/checkout")
          .setAttribute("http.response.status_code", 502L).startSpan();
      checkoutTraceId = root.getSpanContext().getTraceId();
      Span render = child(fe, "render cart", SpanKind.INTERNAL, root, t0 + 5 * MS);
      Span call = child(fe, "POST /api/orders", SpanKind.CLIENT, root, t0 + 40 * MS);
      Span orders = child(co, "POST /api/orders", SpanKind.SERVER, call, t0 + 45 * MS);
      Span query = child(co, "SELECT shop.orders", SpanKind.CLIENT, orders, t0 + 60 * MS);
      query.setAttribute("db.system.name", "postgresql");
      query.setAttribute("db.query.text", "SELECT id, total FROM orders WHERE cart_id = ?");
      Span chargeCall = child(co, "POST /charge", SpanKind.CLIENT, orders, t0 + 190 * MS);
      Span charge = pa.spanBuilder("POST /charge").setSpanKind(SpanKind.SERVER)
          .setParent(Context.root().with(chargeCall)).setStartTimestamp(t0 + 200 * MS, TimeUnit.NANOSECONDS)
          .setAttribute("http.request.method", "POST").setAttribute("http.route", "/charge")
          .setAttribute("http.response.status_code", 502L).setAttribute("payment.amount_cents", 4200L)
          .addLink(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(),
              TraceState.getDefault()), Attributes.of(AttributeKey.stringKey("link.reason"), "retry of"))
          .startSpan();
      // what recordException writes, at a fixed time (recordException stamps the current one)
      charge.addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.type"),
          "java.lang.IllegalStateException", AttributeKey.stringKey("exception.message"), "card declined by issuer"),
          t0 + 350 * MS, TimeUnit.NANOSECONDS);
      charge.setStatus(StatusCode.ERROR, "card declined");

      // each span is sent as it ends, and each request is through before the next: children before parents
      end(render, frontend, t0 + 35 * MS);
      end(query, checkout, t0 + 180 * MS);
      end(charge, payments, t0 + 380 * MS);
      end(chargeCall, checkout, t0 + 385 * MS);
      end(orders, checkout, t0 + 400 * MS);
      end(call, frontend, t0 + 410 * MS);
      end(root, frontend, t0 + 420 * MS);
      Span health = fe.spanBuilder(HOSTILE_NAME).setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(t0 + 1_000 * MS, TimeUnit.NANOSECONDS).startSpan();
      end(health, frontend, t0 + 1_002 * MS);

      ids.put("GET /checkout", root.getSpanContext().getSpanId());
      ids.put("render cart", render.getSpanContext().getSpanId());
      ids.put("frontend POST /api/orders", call.getSpanContext().getSpanId());
      ids.put("checkout POST /api/orders", orders.getSpanContext().getSpanId());
      ids.put("SELECT shop.orders", query.getSpanContext().getSpanId());
      ids.put("checkout POST /charge", chargeCall.getSpanContext().getSpanId());
      ids.put("payments POST /charge", charge.getSpanContext().getSpanId());
    } finally {
      frontend.shutdown().join(10, TimeUnit.SECONDS);
      checkout.shutdown().join(10, TimeUnit.SECONDS);
      payments.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static void end(Span span, SdkTracerProvider provider, long endNanos) {
    span.end(endNanos, TimeUnit.NANOSECONDS);
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  private static Span child(Tracer tracer, String name, SpanKind kind, Span parent, long startNanos) {
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(Context.root().with(parent))
        .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS).startSpan();
  }

  private static SdkTracerProvider provider(String service, String endpoint) {
    return SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(SERVICE_NAME, service,
            AttributeKey.stringKey("deployment.environment.name"), "demo")))
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()))
        .build();
  }

  /** The exporter's queue hands spans over asynchronously: wait until the API has every trace, and all of this one. */
  private static void awaitStored(String traceId, int spans, int traces) {
    HttpClient client = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      HttpResponse<String> list = client.send(HttpRequest.newBuilder(URI.create(view + "/api/traces")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(JsonParser.parseString(list.body()).getAsJsonObject().getAsJsonArray("traces")).hasSize(traces);
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(view + "/api/traces/" + traceId)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      JsonArray stored = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("spans");
      assertThat(stored).hasSize(spans);
      JsonObject first = stored.get(0).getAsJsonObject();
      assertThat(first.get("name").getAsString()).isEqualTo("GET /checkout");
    });
  }

  private static WebDriver startBrowser() throws IOException {
    profile = Files.createTempDirectory("traceview-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1440,900", "--force-device-scale-factor=1");
    // The driver's path is set, so Selenium Manager is never asked to find or download one.
    driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    driverService.start();
    return new ChromeDriver(driverService, options);
  }
}
