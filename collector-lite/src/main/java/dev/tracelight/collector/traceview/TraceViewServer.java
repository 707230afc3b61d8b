package dev.tracelight.collector.traceview;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import dev.tracelight.collector.http.HttpEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace view over HTTP, on the JDK's HttpServer like the OTLP/HTTP receiver:
 * <ul>
 *   <li>{@code GET /api/traces?service=&minDuration=&error=&limit=} — the list, newest first, and the store's usage</li>
 *   <li>{@code GET /api/traces/<traceId>} — one trace with all its spans</li>
 *   <li>{@code GET /api/services} — the services in the store, for the filter</li>
 *   <li>{@code GET /} and {@code GET /trace/<traceId>} — the page (one page; its script reads the path)</li>
 *   <li>{@code GET /static/<file>} — the page's script and style, read from the jar at start</li>
 * </ul>
 */
final class TraceViewServer implements AutoCloseable {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Gson GSON = new Gson();
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, String> ASSET_TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "traceview.js", "text/javascript; charset=utf-8",
      "traceview.css", "text/css; charset=utf-8",
      "favicon.svg", "image/svg+xml");
  /** The page may load only its own script and style; span data is never markup, so nothing injected can run. */
  private static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
      + "frame-ancestors 'none'";

  private final TraceStore store;
  private final Map<String, byte[]> assets;

  private HttpEndpoint endpoint; // set once by start(), which needs this view to serve

  private TraceViewServer(TraceStore store, Map<String, byte[]> assets) {
    this.store = store;
    this.assets = assets;
  }

  static TraceViewServer start(InetSocketAddress address, TraceStore store) throws IOException {
    Map<String, byte[]> assets = loadAssets();
    TraceViewServer view = new TraceViewServer(store, assets);
    view.endpoint = HttpEndpoint.start(address, 64, "traceview", 4, "/", view::respond);
    return view;
  }

  InetSocketAddress address() {
    return endpoint.address();
  }

  @Override
  public void close() {
    endpoint.close();
  }

  private void respond(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      json(exchange, 405, TraceJson.error(method + " is not allowed (the trace view is read-only: use GET)"));
      return;
    }
    if (path.equals("/api/traces")) {
      listTraces(exchange);
    } else if (path.startsWith("/api/traces/")) {
      showTrace(exchange, path.substring("/api/traces/".length()));
    } else if (path.equals("/api/services")) {
      json(exchange, 200, TraceJson.services(store.services()));
    } else if (path.startsWith("/api/")) {
      json(exchange, 404, TraceJson.error("no API at " + path + " (expected /api/traces, /api/traces/<traceId> or "
          + "/api/services)"));
    } else if (path.equals("/") || path.startsWith("/trace/")) {
      asset(exchange, "index.html");
    } else if (path.startsWith("/static/") && assets.containsKey(path.substring("/static/".length()))) {
      asset(exchange, path.substring("/static/".length()));
    } else if (path.equals("/favicon.ico")) {
      asset(exchange, "favicon.svg");
    } else {
      send(exchange, 404, "text/plain; charset=utf-8", ("not found: " + path + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private void listTraces(HttpExchange exchange) throws IOException {
    Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
    String service = params.get("service");
    Duration minDuration = Duration.ZERO;
    String minText = params.get("minDuration");
    if (minText != null && !minText.isBlank()) {
      minDuration = parseDuration(minText.trim());
      if (minDuration == null) {
        json(exchange, 400, TraceJson.error("minDuration: \"" + minText + "\" is not a duration (expected e.g. "
            + "250ms, 1.5s, 2m)"));
        return;
      }
    }
    Boolean error = null;
    String errorText = params.get("error");
    if (errorText != null && !errorText.isBlank()) {
      if (!errorText.equals("true") && !errorText.equals("false")) {
        json(exchange, 400, TraceJson.error("error: \"" + errorText + "\" is not true or false (true: only traces "
            + "with an error span; false: only traces without)"));
        return;
      }
      error = Boolean.valueOf(errorText);
    }
    int limit = DEFAULT_LIMIT;
    String limitText = params.get("limit");
    if (limitText != null && !limitText.isBlank()) {
      try {
        limit = Integer.parseInt(limitText.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        json(exchange, 400, TraceJson.error("limit: \"" + limitText + "\" is not a whole number from 1 to "
            + MAX_LIMIT));
        return;
      }
    }
    TraceQuery query = new TraceQuery(service == null || service.isBlank() ? null : service, minDuration, error, limit);
    json(exchange, 200, TraceJson.list(store.find(query), store.usage()));
  }

  private void showTrace(HttpExchange exchange, String id) throws IOException {
    if (!TRACE_ID.matcher(id).matches()) {
      json(exchange, 400, TraceJson.error("\"" + id + "\" is not a trace id (expected 32 hex digits)"));
      return;
    }
    String traceId = id.toLowerCase(Locale.ROOT);
    Optional<StoredTrace> trace = store.trace(traceId);
    if (trace.isEmpty()) {
      json(exchange, 404, TraceJson.error("trace " + traceId + " is not in the store (never received, or evicted: "
          + "the store keeps the most recent traces within max_traces, max_spans and ttl)"));
      return;
    }
    json(exchange, 200, TraceJson.trace(trace.get()));
  }

  private void asset(HttpExchange exchange, String name) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
    send(exchange, 200, ASSET_TYPES.get(name), assets.get(name));
  }

  private static void json(HttpExchange exchange, int code, JsonObject body) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, code, "application/json", GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(key, value);
    }
    return out;
  }

  /** Go's duration syntax, as Jaeger's API takes minDuration: {@code 250ms}, {@code 1.5s}, {@code 1m30s}. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text);
    double nanos = 0;
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      double unit = switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      nanos += Double.parseDouble(m.group(1)) * unit;
      at = m.end();
    }
    return at == 0 ? null : Duration.ofNanos((long) nanos);
  }

  private static Map<String, byte[]> loadAssets() {
    Map<String, byte[]> out = new HashMap<>();
    for (String name : ASSET_TYPES.keySet()) {
      try (InputStream in = TraceViewServer.class.getResourceAsStream("/traceview/" + name)) {
        if (in == null) {
          throw new IllegalStateException("traceview: /traceview/" + name + " is missing from the jar (a build "
              + "problem)");
        }
        out.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(out);
  }
}
