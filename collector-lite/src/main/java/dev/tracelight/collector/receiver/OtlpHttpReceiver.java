package dev.tracelight.collector.receiver;

import com.google.gson.Gson;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.tracelight.collector.config.OtlpReceiverConfig;
import dev.tracelight.collector.http.HttpEndpoint;
import dev.tracelight.collector.otlp.OtlpJson;
import dev.tracelight.collector.pipeline.AdmittedBytes;
import dev.tracelight.collector.pipeline.Intake;
import dev.tracelight.collector.pipeline.InvalidOtlpException;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.Refusal;
import dev.tracelight.collector.pipeline.Signal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * OTLP over HTTP on the JDK's HttpServer (chosen by measurement, see README): {@code POST /v1/traces|metrics|logs} with
 * {@code application/x-protobuf} or {@code application/json}, optionally gzip/deflate-encoded. Status codes follow the
 * OTLP spec: 400 bad body, 404 unknown path, 405 not POST, 413 body (or decompressed body) above
 * {@code max_request_body_size}, 415 other content type or encoding, 503 + Retry-After when refused. Error bodies are a
 * google.rpc.Status in the request's encoding.
 */
public final class OtlpHttpReceiver implements AutoCloseable {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";
  /** How much of an oversized body is read and discarded so the client can read the 413 instead of a reset. */
  private static final long DISCARD_LIMIT = 64L << 20;
  private static final Gson GSON = new Gson();
  private static final int READ_CHUNK = 64 << 10;

  private final OtlpReceiverConfig.Http config;
  private final Intake intake;
  private final Cors cors;
  private final Map<String, Signal> paths = new HashMap<>();

  private HttpEndpoint endpoint; // set once by start(), which needs this receiver to serve

  private OtlpHttpReceiver(OtlpReceiverConfig.Http config, Intake intake) {
    this.config = config;
    this.intake = intake;
    this.cors = Cors.create(config.cors());
    config.paths().forEach((signal, path) -> paths.put(path, signal));
  }

  public static OtlpHttpReceiver start(OtlpReceiverConfig.Http config, Intake intake) throws IOException {
    OtlpHttpReceiver receiver = new OtlpHttpReceiver(config, intake);
    receiver.endpoint = HttpEndpoint.start(config.endpoint().toSocketAddress(), 1024, "otlp-http",
        Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), "/", receiver::respond);
    return receiver;
  }

  public InetSocketAddress address() {
    return endpoint.address();
  }

  @Override
  public void close() {
    endpoint.close();
  }

  private void respond(HttpExchange exchange) throws IOException {
    Headers in = exchange.getRequestHeaders();
    Headers out = exchange.getResponseHeaders();
    String origin = in.getFirst("Origin");
    if (cors.allows(origin)) {
      out.set("Access-Control-Allow-Origin", origin);
      out.set("Vary", "Origin");
    }
    Signal signal = paths.get(exchange.getRequestURI().getPath());
    if (signal == null) {
      text(exchange, 404, "no OTLP endpoint at " + exchange.getRequestURI().getPath() + " (expected POST to "
          + String.join(", ", config.paths().values()) + ")");
      return;
    }
    String method = exchange.getRequestMethod();
    if (method.equals("OPTIONS") && cors.enabled() && origin != null) {
      Map<String, String> preflight = cors.preflight(origin, in.getFirst("Access-Control-Request-Method"),
          in.getFirst("Access-Control-Request-Headers"));
      out.remove("Access-Control-Allow-Origin");
      if (preflight != null) {
        preflight.forEach(out::set);
      }
      exchange.sendResponseHeaders(204, -1);
      return;
    }
    if (!method.equals("POST")) {
      out.set("Allow", cors.enabled() ? "POST, OPTIONS" : "POST");
      text(exchange, 405, method + " is not allowed (expected POST)");
      return;
    }
    if (!intake.accepts(signal)) {
      text(exchange, 404, "no " + signal.id() + " pipeline takes data from this receiver");
      return;
    }
    String type = mediaType(in.getFirst("Content-Type"));
    if (!type.equals(PROTOBUF) && !type.equals(JSON)) {
      text(exchange, 415, "unsupported Content-Type \"" + type + "\" (expected " + PROTOBUF + " or " + JSON + ")");
      return;
    }
    String encoding = in.getFirst("Content-Encoding");
    encoding = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
    if (!encoding.isEmpty() && !encoding.equals("identity") && !encoding.equals("gzip") && !encoding.equals("deflate")) {
      status(exchange, type, 415, "unsupported Content-Encoding \"" + encoding + "\" (expected gzip, deflate or none)");
      return;
    }
    AdmittedBytes.Claim claim = intake.claim();
    boolean accepted = false;
    try {
      accepted = readAndOffer(exchange, signal, type, encoding, claim);
    } finally {
      if (!accepted) {
        claim.release(); // refused, invalid or failed: nothing is kept (an accepted request's claim is the queues')
      }
    }
    if (!accepted) {
      return;
    }
    byte[] ok = type.equals(JSON) ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
    send(exchange, 200, type, ok);
  }

  /**
   * Reads, decodes and offers the body, answering every failure; true when accepted. Every byte read (and inflated) is
   * claimed first, so a request that does not fit the in-flight budget is refused before the rest of it is read.
   */
  private boolean readAndOffer(HttpExchange exchange, Signal signal, String type, String encoding,
      AdmittedBytes.Claim claim) throws IOException {
    Headers out = exchange.getResponseHeaders();
    long max = config.maxRequestBodySize();
    byte[] body;
    try {
      long declared = contentLength(exchange.getRequestHeaders().getFirst("Content-Length"));
      if (declared > max) {
        discard(exchange.getRequestBody());
        status(exchange, type, 413, "request body larger than max_request_body_size " + max + " bytes");
        return false;
      }
      // a declared length sizes the buffer at once (claimed before the body is read); a false one costs a copy
      body = readBounded(exchange.getRequestBody(), max, declared > 0 ? declared : READ_CHUNK, claim);
      if (body == null) {
        status(exchange, type, 413, "request body larger than max_request_body_size " + max + " bytes");
        return false;
      }
      if (encoding.equals("gzip") || encoding.equals("deflate")) {
        try (InputStream z = encoding.equals("gzip") ? new GZIPInputStream(new ByteArrayInputStream(body))
            : new InflaterInputStream(new ByteArrayInputStream(body))) {
          body = readBounded(z, max, READ_CHUNK, claim);
        } catch (OverBudget e) {
          throw e;
        } catch (IOException e) {
          status(exchange, type, 400, "body is not valid " + encoding + ": " + e.getMessage());
          return false;
        }
        if (body == null) {
          status(exchange, type, 413, "decompressed body larger than max_request_body_size " + max + " bytes");
          return false;
        }
      }
    } catch (OverBudget e) {
      // read the rest without keeping it: a client cut off while sending sees a reset, not the 503 and Retry-After
      discard(exchange.getRequestBody());
      refuse(exchange, type, intake.overBudget());
      return false;
    }
    OtlpRequest request;
    try {
      request = OtlpRequest.parse(signal, type.equals(JSON) ? OtlpJson.toProto(signal, body) : body);
    } catch (InvalidOtlpException e) {
      status(exchange, type, 400, e.getMessage());
      return false;
    }
    Refusal refusal = intake.offer(request, "http", claim);
    if (refusal != null) {
      refuse(exchange, type, refusal);
      return false;
    }
    return true;
  }

  private static void refuse(HttpExchange exchange, String type, Refusal refusal) throws IOException {
    exchange.getResponseHeaders().set("Retry-After",
        Long.toString(Math.max(1, (refusal.retryAfter().toMillis() + 999) / 1000)));
    status(exchange, type, 503, refusal.message());
  }

  /**
   * Reads at most {@code max} bytes into a buffer of {@code initial} bytes that doubles as needed, claiming every
   * buffer before it is allocated; null if there were more (the rest is discarded, up to a bound).
   */
  private static byte[] readBounded(InputStream in, long max, long initial, AdmittedBytes.Claim claim)
      throws IOException {
    int size = (int) Math.max(1, Math.min(max, initial));
    if (!claim.grow(size)) {
      throw new OverBudget();
    }
    byte[] buf = new byte[size];
    int len = 0;
    while (true) {
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
      }
      len += n;
      if (len < buf.length) {
        continue;
      }
      int next = in.read(); // full: the usual end of a body whose length was declared
      if (next < 0) {
        return buf;
      }
      if (len >= max) {
        discard(in);
        return null;
      }
      int grown = (int) Math.min(max, 2L * buf.length);
      if (!claim.grow(grown - buf.length)) {
        throw new OverBudget();
      }
      buf = Arrays.copyOf(buf, grown);
      buf[len++] = (byte) next;
    }
  }

  private static void discard(InputStream in) throws IOException {
    long skipped = 0;
    byte[] sink = new byte[64 << 10];
    for (int n; skipped < DISCARD_LIMIT && (n = in.read(sink)) > 0; ) {
      skipped += n;
    }
  }

  private static long contentLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The in-flight budget is spent: refuse now rather than read more. */
  private static final class OverBudget extends IOException {
    OverBudget() {
      super("admitted bytes at their limit");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control flow, not an error
    }
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** An error as the OTLP spec wants it: google.rpc.Status, in the request's encoding. */
  private static void status(HttpExchange exchange, String type, int code, String message) throws IOException {
    int rpcCode = switch (code) {
      case 400 -> 3; // INVALID_ARGUMENT
      case 413 -> 11; // OUT_OF_RANGE
      case 415 -> 3;
      case 503 -> 14; // UNAVAILABLE
      default -> 2; // UNKNOWN
    };
    if (type.equals(PROTOBUF)) {
      byte[] body = com.google.rpc.Status.newBuilder().setCode(rpcCode).setMessage(message).build().toByteArray();
      send(exchange, code, PROTOBUF, body);
    } else {
      String json = "{\"code\":" + rpcCode + ",\"message\":" + GSON.toJson(message) + "}";
      send(exchange, code, JSON, json.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void text(HttpExchange exchange, int code, String message) throws IOException {
    send(exchange, code, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }
}
