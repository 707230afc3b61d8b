package dev.tracelight.agent.httpsender;

import dev.tracelight.agent.export.ExportRetry;
import dev.tracelight.agent.export.ExportWorker;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * OTLP/HTTP exports as HTTP/1.1 POSTs over one {@link Http1Connection}, kept open between exports. Nothing is connected,
 * and no thread or TLS context exists, before the first export. Calls run one at a time on a worker thread; each is
 * retried as the SDK's {@link RetryPolicy} says (429, 502, 503, 504 with their {@code Retry-After}, and I/O failures)
 * within the export timeout ({@link ExportRetry}).
 */
final class Http1Sender implements HttpSender {
  /** The OTLP specification's retryable statuses, as the SDK's own senders take them. */
  private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
  /** Header fields that frame the message or the connection: ours to write, never the configured headers'. */
  private static final Set<String> OWN_FIELDS = Set.of("host", "content-length", "transfer-encoding", "connection",
      "content-type", "content-encoding");

  private final URI endpoint;
  private final HttpSenderConfig config;
  private final ProxySelector proxies;
  private final String originTarget;
  /** Host, Content-Type and Content-Encoding, the same for every request. */
  private final String fixedFields;
  private final int connectTimeoutMillis;
  private final long maxResponseBytes;
  private final ExportRetry retry;
  private final ExportWorker worker;
  /** Written under this (calls run one at a time); read without it by {@link #shutdown}, which closes it. */
  private volatile Http1Connection connection;

  private Http1Sender(HttpSenderConfig config) {
    this.config = config;
    this.endpoint = config.getEndpoint();
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("OTLP/HTTP endpoint must start with http:// or https://: " + endpoint);
    }
    Route direct = Route.to(endpoint, null);
    ProxyOptions proxyOptions = config.getProxyOptions();
    this.proxies = proxyOptions == null ? null : proxyOptions.getProxySelector();
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    this.originTarget = endpoint.getRawQuery() == null ? path : path + "?" + endpoint.getRawQuery();
    // As clients send it: the port only when not the scheme's default; an IPv6 literal keeps its brackets.
    String hostField = endpoint.getHost() + (direct.port() == (direct.tls() ? 443 : 80) ? "" : ":" + direct.port());
    StringBuilder fields = new StringBuilder(128).append("Host: ").append(hostField).append("\r\n");
    if (config.getContentType() != null) {
      fields.append("Content-Type: ").append(config.getContentType()).append("\r\n");
    }
    if (config.getCompressor() != null) {
      fields.append("Content-Encoding: ").append(config.getCompressor().getEncoding()).append("\r\n");
    }
    this.fixedFields = fields.toString();
    this.connectTimeoutMillis = (int) Math.min(config.getConnectTimeout().toMillis(), Integer.MAX_VALUE);
    this.maxResponseBytes = Math.min(config.getMaxResponseBodySize(), Integer.MAX_VALUE - 8);  // one byte array
    this.retry = ExportRetry.create(config.getRetryPolicy(), config.getTimeout(),
        e -> !(e instanceof SSLException) && !(e instanceof Http1Connection.UnreadableResponseException));
    this.worker = ExportWorker.create(config.getExecutorService(), "tracelight-http-export");
  }

  static Http1Sender create(HttpSenderConfig config) {
    return new Http1Sender(config);
  }

  @Override
  public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    worker.submit(() -> call(message), onResponse, onError);
  }

  /**
   * Closes the connection at once, without waiting for a call in flight (it fails): the SDK shuts exporters down after
   * their last flush, so a call still running then is one the collector has not answered in time.
   */
  @Override
  public CompletableResultCode shutdown() {
    retry.stop();
    worker.shutdown();
    Http1Connection current = connection;
    if (current != null) {
      current.close();
    }
    return CompletableResultCode.ofSuccess();
  }

  /** One export: the body prepared once, then sent as the retry policy says. */
  HttpResponse call(MessageWriter message) throws IOException {
    Compressor compressor = config.getCompressor();
    int length = message.getContentLength();
    long contentLength;
    Http1Connection.RequestBody body;
    if (compressor == null && length >= 0) {
      // Streamed from the exporter's marshaler to the socket: no copy of the message.
      contentLength = length;
      body = out -> writeExactly(message, length, out);
    } else {
      // The compressed length is known only once compressed.
      Buffer buffer = new Buffer(Math.max(length, 64) / (compressor == null ? 1 : 4));
      if (compressor == null) {
        message.writeMessage(buffer);
      } else {
        try (OutputStream compressed = compressor.compress(buffer)) {
          message.writeMessage(compressed);
        }
      }
      contentLength = buffer.size();
      body = buffer::copyTo;
    }
    String fields = fixedFields + configuredFields() + "Content-Length: " + contentLength + "\r\n\r\n";
    return retry.run(deadline -> attempt(fields, body, deadline),
        response -> RETRYABLE.contains(response.status), Http1Sender::requestedPause);
  }

  private synchronized Http1Connection.Response attempt(String fields, Http1Connection.RequestBody body,
      long deadline) throws IOException {
    boolean reused = connection != null && connection.reusable();
    Http1Connection current = connection(deadline);
    try {
      return exchange(current, fields, body, deadline);
    } catch (IOException e) {
      // A kept connection the server has since closed (idle timeout, restart) fails on first use, before any octet of
      // an answer: one fresh try, which cannot duplicate an accepted export.
      if (reused && !current.answered() && !(e instanceof SocketTimeoutException) && !(e instanceof SSLException)) {
        return exchange(connection(deadline), fields, body, deadline);
      }
      throw e;
    }
  }

  private Http1Connection connection(long deadline) throws IOException {
    if (retry.stopped()) {
      throw new IOException("OTLP/HTTP sender is shut down");
    }
    Http1Connection current = connection;
    if (current != null && current.reusable()) {
      return current;
    }
    connection = null;
    long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (remainingMillis <= 0) {
      throw new SocketTimeoutException("no time left to connect within the export timeout");
    }
    current = Http1Connection.open(Route.to(endpoint, proxies), config.getSslContext(),
        config.getEnabledProtocols(), (int) Math.min(connectTimeoutMillis, remainingMillis));
    connection = current;
    if (retry.stopped()) {
      current.close();                             // shut down while connecting
    }
    return current;
  }

  private Http1Connection.Response exchange(Http1Connection current, String fields, Http1Connection.RequestBody body,
      long deadline) throws IOException {
    // A plain proxy forwards requests, so they name the whole URI (RFC 9112 3.2.2); everything else gets the path.
    String target = current.viaPlainProxy() ? endpoint.toASCIIString() : originTarget;
    byte[] head = ("POST " + target + " HTTP/1.1\r\n" + fields).getBytes(StandardCharsets.ISO_8859_1);
    try {
      Http1Connection.Response response = current.exchange(head, body, deadline, maxResponseBytes);
      if (!current.reusable()) {
        connection = null;
      }
      return response;
    } catch (IOException | RuntimeException e) {
      connection = null;
      throw e;
    }
  }

  /** OTEL_EXPORTER_OTLP_HEADERS and the SDK's User-Agent, asked for per export (they may change, e.g. a token). */
  private String configuredFields() throws IOException {
    Map<String, List<String>> headers = config.getHeadersSupplier().get();
    if (headers == null || headers.isEmpty()) {
      return "";
    }
    StringBuilder fields = new StringBuilder(64 * headers.size());
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = header.getKey();
      if (OWN_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        if (hasLineBreak(name) || hasLineBreak(value)) {
          throw new IOException("OTLP header " + name + " contains a line break; fix OTEL_EXPORTER_OTLP_HEADERS");
        }
        fields.append(name).append(": ").append(value).append("\r\n");
      }
    }
    return fields.toString();
  }

  private static boolean hasLineBreak(String text) {
    return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
  }

  /** The pause a 429/503 asks for: {@code Retry-After} in seconds or as an HTTP-date (RFC 9110 10.2.3). */
  private static long requestedPause(Http1Connection.Response response) {
    String value = response.retryAfter;
    if (value == null) {
      return ExportRetry.POLICY_BACKOFF;
    }
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? ExportRetry.POLICY_BACKOFF : TimeUnit.SECONDS.toNanos(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Math.max(0, Duration.between(Instant.now(), at).toNanos());
      } catch (DateTimeParseException | ArithmeticException unreadable) {
        return ExportRetry.POLICY_BACKOFF;
      }
    }
  }

  private static void writeExactly(MessageWriter message, int length, OutputStream out) throws IOException {
    CountingStream counted = new CountingStream(out);
    message.writeMessage(counted);
    if (counted.count != length) {
      // The request is framed by the announced length: a mismatch would desynchronise the connection.
      throw new IllegalStateException("the exporter wrote " + counted.count + " bytes of a message it announced as "
          + length + " bytes");
    }
  }

  /** Counts what passes through; closing it leaves the connection open. */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int octet) throws IOException {
      out.write(octet);
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      count += length;
    }

    @Override
    public void close() {
      // the socket stays open for the response and later exports
    }
  }

  /** A request body prepared in memory (compressed), written as is on every attempt. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    void copyTo(OutputStream out) throws IOException {
      out.write(buf, 0, count);
    }
  }
}
