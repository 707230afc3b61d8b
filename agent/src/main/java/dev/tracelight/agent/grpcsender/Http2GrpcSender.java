package dev.tracelight.agent.grpcsender;

import dev.tracelight.agent.export.ExportRetry;
import dev.tracelight.agent.export.ExportWorker;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLException;

/**
 * Unary gRPC calls (the OTLP exporters' {@code Export}) over one {@link Http2Connection}, kept open between exports.
 * Calls run one at a time on a worker thread; each is retried as the SDK's {@link RetryPolicy} says (the retryable gRPC
 * codes of the OTLP spec, and I/O failures), within the export timeout ({@link ExportRetry}).
 */
final class Http2GrpcSender implements GrpcSender {
  /** The OTLP specification's retryable codes, as the SDK's own senders use them. */
  private static final Set<GrpcStatusCode> RETRYABLE = EnumSet.of(GrpcStatusCode.CANCELLED,
      GrpcStatusCode.DEADLINE_EXCEEDED, GrpcStatusCode.RESOURCE_EXHAUSTED, GrpcStatusCode.ABORTED,
      GrpcStatusCode.OUT_OF_RANGE, GrpcStatusCode.UNAVAILABLE, GrpcStatusCode.DATA_LOSS);
  private static final int MAX_RESPONSE_BYTES = 4 << 20;

  private final URI endpoint;
  private final List<String> fixedHeaders;
  private final GrpcSenderConfig config;
  private final int connectTimeoutMillis;
  private final long maxResponseBytes;
  private final ExportRetry retry;
  private final ExportWorker worker;
  /** Written under this (calls run one at a time); read without it by {@link #shutdown}, which closes it. */
  private volatile Http2Connection connection;

  private Http2GrpcSender(GrpcSenderConfig config) {
    this.config = config;
    this.endpoint = config.getEndpoint();
    if (!"http".equalsIgnoreCase(endpoint.getScheme()) && !"https".equalsIgnoreCase(endpoint.getScheme())) {
      throw new IllegalArgumentException("gRPC endpoint must start with http:// or https://: " + endpoint);
    }
    this.connectTimeoutMillis = (int) Math.min(config.getConnectTimeout().toMillis(), Integer.MAX_VALUE);
    this.maxResponseBytes = Math.min(config.getMaxResponseBodySize(), MAX_RESPONSE_BYTES);
    this.retry = ExportRetry.create(config.getRetryPolicy(), config.getTimeout(), e -> !(e instanceof SSLException));
    this.worker = ExportWorker.create(config.getExecutorService(), "tracelight-grpc-export");
    List<String> headers = new ArrayList<>();
    headers.add(":method");
    headers.add("POST");
    headers.add(":scheme");
    headers.add(endpoint.getScheme().toLowerCase(Locale.ROOT));
    headers.add(":authority");
    headers.add(authority(endpoint));
    headers.add(":path");
    headers.add("/" + config.getFullMethodName());
    headers.add("content-type");
    headers.add("application/grpc");
    headers.add("te");
    headers.add("trailers");
    if (config.getCompressor() != null) {
      headers.add("grpc-encoding");
      headers.add(config.getCompressor().getEncoding());
    }
    this.fixedHeaders = List.copyOf(headers);
  }

  static Http2GrpcSender create(GrpcSenderConfig config) {
    return new Http2GrpcSender(config);
  }

  @Override
  public void send(MessageWriter message, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
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
    Http2Connection current = connection;
    if (current != null) {
      current.close();
    }
    return CompletableResultCode.ofSuccess();
  }

  /** One export: framed once, then sent as the retry policy says. */
  GrpcResponse call(MessageWriter message) throws IOException {
    GrpcFrame body = GrpcFrame.of(message, config.getCompressor());
    List<String> headers = requestHeaders();
    return retry.run(deadline -> attempt(headers, body, deadline),
        response -> RETRYABLE.contains(response.getStatusCode()), response -> ExportRetry.POLICY_BACKOFF);
  }

  private synchronized GrpcResponse attempt(List<String> headers, GrpcFrame body, long deadline)
      throws IOException {
    boolean reused = connection != null && connection.usable();
    try {
      return exchange(headers, body, deadline);
    } catch (IOException e) {
      // A kept connection the server has since closed (idle timeout, restart) fails on first use: one fresh try.
      if (reused && !(e instanceof SocketTimeoutException) && !(e instanceof SSLException)) {
        return exchange(headers, body, deadline);
      }
      throw e;
    }
  }

  private GrpcResponse exchange(List<String> headers, GrpcFrame body, long deadline) throws IOException {
    if (retry.stopped()) {
      throw new IOException("gRPC sender is shut down");
    }
    if (connection == null || !connection.usable()) {
      if (connection != null) {
        connection.close();
      }
      connection = null;
      connection = Http2Connection.open(endpoint, config.getSslContext(), config.getEnabledProtocols(),
          connectTimeoutMillis);
      if (retry.stopped()) {
        connection.close();                          // shut down while connecting
      }
    }
    Http2Connection current = connection;
    Http2Connection.Response response;
    try {
      response = current.exchange(headers, body.bytes(), body.length(), deadline, maxResponseBytes);
    } catch (IOException | RuntimeException e) {
      current.close();
      connection = null;
      throw e;
    }
    if (!current.usable()) {
      current.close();
      connection = null;
    }
    return GrpcResult.of(response);
  }

  private List<String> requestHeaders() {
    Map<String, List<String>> custom = config.getHeadersSupplier().get();
    if (custom == null || custom.isEmpty()) {
      return fixedHeaders;
    }
    List<String> headers = new ArrayList<>(fixedHeaders);
    for (Map.Entry<String, List<String>> header : custom.entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      for (String value : header.getValue()) {
        headers.add(name);
        headers.add(value);
      }
    }
    return headers;
  }

  private static String authority(URI endpoint) {
    String host = endpoint.getHost();
    return (host == null ? "" : host) + ":" + Http2Connection.port(endpoint);
  }

  /** The request body: gRPC's length-prefixed message (a compressed flag, four octets of length, the message). */
  static final class GrpcFrame extends ByteArrayOutputStream {
    private GrpcFrame(int size) {
      super(size);
    }

    static GrpcFrame of(MessageWriter message, Compressor compressor) throws IOException {
      GrpcFrame frame = new GrpcFrame(Math.max(message.getContentLength(), 0) + 5);
      frame.write(new byte[5], 0, 5);
      if (compressor == null) {
        message.writeMessage(frame);
      } else {
        try (OutputStream compressed = compressor.compress(frame)) {
          message.writeMessage(compressed);
        }
      }
      int length = frame.count - 5;
      frame.buf[0] = (byte) (compressor == null ? 0 : 1);
      frame.buf[1] = (byte) (length >>> 24);
      frame.buf[2] = (byte) (length >>> 16);
      frame.buf[3] = (byte) (length >>> 8);
      frame.buf[4] = (byte) length;
      return frame;
    }

    byte[] bytes() {
      return buf;
    }

    int length() {
      return count;
    }
  }

  /** A gRPC outcome read from an HTTP/2 response, as the SDK's exporters take it. */
  static final class GrpcResult implements GrpcResponse {
    private final GrpcStatusCode status;
    private final String description;
    private final byte[] message;

    private GrpcResult(GrpcStatusCode status, String description, byte[] message) {
      this.status = status;
      this.description = description;
      this.message = message;
    }

    static GrpcResult of(Http2Connection.Response response) throws IOException {
      String httpStatus = response.headers == null ? null : response.headers.get(":status");
      String grpcStatus = response.field("grpc-status");
      GrpcStatusCode status;
      String description;
      if (grpcStatus != null) {
        status = parseStatus(grpcStatus);
        String grpcMessage = response.field("grpc-message");
        description = grpcMessage == null ? "" : percentDecode(grpcMessage);
      } else {
        // No gRPC status: a proxy or a server that is not gRPC answered. The gRPC spec maps the HTTP status.
        status = fromHttpStatus(httpStatus);
        description = "HTTP status " + httpStatus + " without grpc-status";
      }
      return new GrpcResult(status, description, message(response));
    }

    @Override
    public GrpcStatusCode getStatusCode() {
      return status;
    }

    @Override
    public String getStatusDescription() {
      return description;
    }

    @Override
    public byte[] getResponseMessage() {
      return message;
    }

    private static GrpcStatusCode parseStatus(String value) {
      try {
        return GrpcStatusCode.fromValue(Integer.parseInt(value.trim()));
      } catch (RuntimeException e) {
        return GrpcStatusCode.UNKNOWN;
      }
    }

    private static GrpcStatusCode fromHttpStatus(String httpStatus) {
      switch (httpStatus == null ? "" : httpStatus) {
        case "400":
          return GrpcStatusCode.INTERNAL;
        case "401":
          return GrpcStatusCode.UNAUTHENTICATED;
        case "403":
          return GrpcStatusCode.PERMISSION_DENIED;
        case "404":
          return GrpcStatusCode.UNIMPLEMENTED;
        case "429":
        case "502":
        case "503":
        case "504":
          return GrpcStatusCode.UNAVAILABLE;
        default:
          return GrpcStatusCode.UNKNOWN;
      }
    }

    /** The message of the first length-prefixed frame, gunzipped if it says it is compressed. */
    private static byte[] message(Http2Connection.Response response) throws IOException {
      byte[] data = response.data.toByteArray();
      if (data.length < 5) {
        return new byte[0];
      }
      int length = ((data[1] & 0xFF) << 24) | ((data[2] & 0xFF) << 16) | ((data[3] & 0xFF) << 8) | (data[4] & 0xFF);
      if (length < 0 || length > data.length - 5) {
        throw new IOException("gRPC response frame announces " + length + " bytes but carries " + (data.length - 5));
      }
      if (data[0] == 0) {
        return Arrays.copyOfRange(data, 5, 5 + length);
      }
      if (!"gzip".equals(response.field("grpc-encoding"))) {
        throw new IOException("gRPC response compressed with unsupported encoding "
            + response.field("grpc-encoding"));
      }
      try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(data, 5, length))) {
        return gunzip.readAllBytes();
      }
    }

    /** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2, "Responses"). */
    private static String percentDecode(String value) {
      if (value.indexOf('%') < 0) {
        return value;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        int high = c == '%' && i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
        if (low >= 0) {
          out.write(high * 16 + low);
          i += 2;
        } else {
          out.write(c);
        }
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }
}
