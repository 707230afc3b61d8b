package dev.tracelight.agent.httpsender;

import dev.tracelight.agent.export.TlsSockets;
import dev.tracelight.agent.export.WriteDeadline;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * One HTTP/1.1 client connection (RFC 9112) carrying one request at a time and kept open between them: plain TCP or
 * TLS with host-name verification, directly or through an HTTP proxy (a {@code CONNECT} tunnel for TLS). Responses are
 * read whole: the status line, the header fields it needs, a body framed by {@code Content-Length}, chunked coding or the
 * end of the connection, bounded in size.
 */
final class Http1Connection implements Closeable {
  /** Status line plus header fields: far above what any collector sends, small enough that a rogue peer cannot hurt. */
  private static final int MAX_HEAD_BYTES = 64 << 10;

  private final Socket socket;
  /** The TCP socket under {@link #socket} (the same one without TLS): closing it never waits for a TLS lock. */
  private final Socket tcp;
  private final InputStream in;
  private final OutputStream out;
  private final boolean viaPlainProxy;
  private final byte[] buffer = new byte[8192];
  private int position;
  private int limit;
  private long deadlineNanos;
  private boolean reusable = true;
  private boolean answered;

  private Http1Connection(Socket socket, Socket tcp, boolean viaPlainProxy) throws IOException {
    this.socket = socket;
    this.tcp = tcp;
    this.in = socket.getInputStream();
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 << 10);
    this.viaPlainProxy = viaPlainProxy;
  }

  /**
   * Connects to {@code route}'s endpoint (through its proxy, if any) and, for {@code https}, completes the TLS
   * handshake.
   */
  static Http1Connection open(Route route, SSLContext sslContext, List<String> tlsProtocols, int connectTimeoutMillis)
      throws IOException {
    Socket tcp = new Socket();
    Socket socket = tcp;
    try {
      socket.setTcpNoDelay(true);
      InetSocketAddress proxy = route.proxy();
      if (proxy == null) {
        socket.connect(new InetSocketAddress(route.host(), route.port()), connectTimeoutMillis);
      } else {
        // Resolved here, as the JDK's client does: a ProxySelector may hand out unresolved addresses.
        socket.connect(proxy.isUnresolved() ? new InetSocketAddress(proxy.getHostString(), proxy.getPort()) : proxy,
            connectTimeoutMillis);
        if (route.tls()) {
          tunnel(socket, route, connectTimeoutMillis);
        }
      }
      if (route.tls()) {
        socket = TlsSockets.handshake(socket, route.host(), route.port(), sslContext, tlsProtocols,
            connectTimeoutMillis);
      }
      return new Http1Connection(socket, tcp, proxy != null && !route.tls());
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Whether requests must name the whole URI (a plain HTTP proxy forwards them) rather than only the path. */
  boolean viaPlainProxy() {
    return viaPlainProxy;
  }

  /**
   * Sends one request, {@code head} (request line and header fields, ending in the empty line) and {@code body}, and
   * reads its response whole. Throws {@link SocketTimeoutException} when {@code deadlineNanos} passes first.
   */
  Response exchange(byte[] head, RequestBody body, long deadlineNanos, long maxBodyBytes) throws IOException {
    if (!reusable) {
      throw new IOException("HTTP connection is closed");
    }
    this.deadlineNanos = deadlineNanos;
    answered = false;
    try {
      try (WriteDeadline writing = WriteDeadline.of(tcp, deadlineNanos)) {
        try {
          out.write(head);
          body.writeTo(out);
          out.flush();
        } catch (IOException e) {
          throw writing.explain(e);
        }
      }
      return readResponse(maxBodyBytes);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Whether another request may be sent on this connection. */
  boolean reusable() {
    return reusable && !socket.isClosed();
  }

  /**
   * Whether any octet of a response arrived during the last exchange: when none did on a kept connection, the server
   * closed it before reading the request, and sending again on a new one cannot duplicate anything it accepted.
   */
  boolean answered() {
    return answered;
  }

  @Override
  public void close() {
    reusable = false;
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  private Response readResponse(long maxBodyBytes) throws IOException {
    int[] headBytes = {0};
    Response response;
    do {
      response = readHead(headBytes);
    } while (response.status >= 100 && response.status < 200);  // interim answers (100 Continue, 103) come first
    byte[] body;
    if (response.status == 204 || response.status == 304) {
      body = new byte[0];
    } else if (response.transferEncoding != null) {
      if (!response.transferEncoding.endsWith("chunked")) {
        // RFC 9112 6.3: a response whose final coding is not chunked is delimited by the end of the connection.
        response.keepAlive = false;
        body = readUntilClosed(maxBodyBytes);
      } else {
        body = readChunked(maxBodyBytes);
      }
    } else if (response.contentLength >= 0) {
      if (response.contentLength > maxBodyBytes) {
        throw new ResponseTooLargeException(maxBodyBytes);
      }
      body = new byte[(int) response.contentLength];
      readFully(body, 0, body.length);
    } else {
      response.keepAlive = false;
      body = readUntilClosed(maxBodyBytes);
    }
    if (!response.keepAlive) {
      close();
    }
    response.body = decode(body, response.contentEncoding, maxBodyBytes);
    return response;
  }

  private Response readHead(int[] headBytes) throws IOException {
    String statusLine = readLine(headBytes);
    // HTTP-version SP status-code SP [reason-phrase]
    if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' ') {
      throw new IOException("not an HTTP/1.x response: " + quote(statusLine));
    }
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("HTTP response with a malformed status line: " + quote(statusLine));
    }
    Response response = new Response(status, statusLine.length() > 13 ? statusLine.substring(13) : "");
    boolean http10 = statusLine.charAt(7) == '0';
    String connection = null;
    for (String line = readLine(headBytes); !line.isEmpty(); line = readLine(headBytes)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("HTTP response with a malformed header field: " + quote(line));
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length":
          long length = parseLength(value);
          if (response.contentLength >= 0 && response.contentLength != length) {
            throw new IOException("HTTP response with conflicting Content-Length fields");
          }
          response.contentLength = length;
          break;
        case "transfer-encoding":
          String coding = value.toLowerCase(Locale.ROOT);
          response.transferEncoding = response.transferEncoding == null ? coding
              : response.transferEncoding + ", " + coding;
          break;
        case "connection":
          connection = connection == null ? value.toLowerCase(Locale.ROOT)
              : connection + ", " + value.toLowerCase(Locale.ROOT);
          break;
        case "content-encoding":
          response.contentEncoding = value.toLowerCase(Locale.ROOT);
          break;
        case "retry-after":
          response.retryAfter = value;
          break;
        default:
          break;
      }
    }
    response.keepAlive = http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
    return response;
  }

  private byte[] readChunked(long maxBodyBytes) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int[] lineBytes = {0};
    while (true) {
      String sizeLine = readLine(lineBytes);
      int extension = sizeLine.indexOf(';');
      String hex = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("HTTP response with a malformed chunk size: " + quote(sizeLine));
      }
      if (size < 0 || body.size() + size > maxBodyBytes) {
        throw new ResponseTooLargeException(maxBodyBytes);
      }
      if (size == 0) {
        break;
      }
      copy(body, (int) size);
      if (!readLine(lineBytes).isEmpty()) {
        throw new IOException("HTTP response chunk longer than its size says");
      }
    }
    while (!readLine(lineBytes).isEmpty()) {
      // trailer fields: nothing the exporters need
    }
    return body.toByteArray();
  }

  private byte[] readUntilClosed(long maxBodyBytes) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (position < limit || fill() > 0) {
      int count = limit - position;
      if (body.size() + (long) count > maxBodyBytes) {
        throw new ResponseTooLargeException(maxBodyBytes);
      }
      body.write(buffer, position, count);
      position = limit;
    }
    return body.toByteArray();
  }

  private void copy(ByteArrayOutputStream to, int count) throws IOException {
    while (count > 0) {
      if (position == limit && fill() < 0) {
        throw new EOFException("the server closed the HTTP connection inside a response body");
      }
      int chunk = Math.min(count, limit - position);
      to.write(buffer, position, chunk);
      position += chunk;
      count -= chunk;
    }
  }

  private void readFully(byte[] to, int offset, int count) throws IOException {
    while (count > 0) {
      if (position == limit && fill() < 0) {
        throw new EOFException("the server closed the HTTP connection inside a response body");
      }
      int chunk = Math.min(count, limit - position);
      System.arraycopy(buffer, position, to, offset, chunk);
      position += chunk;
      offset += chunk;
      count -= chunk;
    }
  }

  /** A line ending in CRLF (a bare LF is tolerated, as RFC 9112 allows), in ISO-8859-1, without its end. */
  private String readLine(int[] headBytes) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      if (position == limit && fill() < 0) {
        throw new EOFException(answered ? "the server closed the HTTP connection inside a response"
            : "the server closed the HTTP connection before answering");
      }
      byte octet = buffer[position++];
      if (++headBytes[0] > MAX_HEAD_BYTES) {
        throw new IOException("HTTP response head larger than " + MAX_HEAD_BYTES + " bytes");
      }
      if (octet == '\n') {
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
          line.setLength(length - 1);
        }
        return line.toString();
      }
      line.append((char) (octet & 0xFF));
    }
  }

  /** Reads more octets into the buffer, waiting at most until the deadline; -1 at the end of the stream. */
  private int fill() throws IOException {
    long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (remainingMillis <= 0) {
      throw new SocketTimeoutException("no complete HTTP response within the export timeout");
    }
    socket.setSoTimeout((int) Math.min(remainingMillis, Integer.MAX_VALUE));
    int count = in.read(buffer, 0, buffer.length);
    position = 0;
    limit = Math.max(count, 0);
    if (count > 0) {
      answered = true;
    }
    return count;
  }

  private static byte[] decode(byte[] body, String contentEncoding, long maxBodyBytes) throws IOException {
    if (contentEncoding == null || contentEncoding.equals("identity") || body.length == 0) {
      return body;
    }
    if (!contentEncoding.equals("gzip")) {
      throw new UnreadableResponseException("HTTP response in an unsupported Content-Encoding: " + contentEncoding);
    }
    try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
      ByteArrayOutputStream decoded = new ByteArrayOutputStream(body.length * 4);
      byte[] chunk = new byte[8192];
      for (int count = gunzip.read(chunk); count >= 0; count = gunzip.read(chunk)) {
        if (decoded.size() + (long) count > maxBodyBytes) {
          throw new ResponseTooLargeException(maxBodyBytes);
        }
        decoded.write(chunk, 0, count);
      }
      return decoded.toByteArray();
    }
  }

  private static long parseLength(String value) throws IOException {
    try {
      long length = Long.parseLong(value);
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IOException("HTTP response with a malformed Content-Length: " + quote(value));
  }

  private static boolean hasToken(String list, String token) {
    if (list == null) {
      return false;
    }
    for (String element : list.split(",")) {
      if (element.trim().equals(token)) {
        return true;
      }
    }
    return false;
  }

  private static String quote(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }

  /** RFC 9110 9.3.6: a tunnel to the endpoint through the proxy, over which TLS then runs end to end. */
  private static void tunnel(Socket socket, Route route, int timeoutMillis) throws IOException {
    String authority = route.authorityWithPort();
    OutputStream out = socket.getOutputStream();
    out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    socket.setSoTimeout(timeoutMillis);
    // Read octet by octet: nothing after the proxy's empty line may be consumed, it belongs to the TLS handshake.
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int octet = in.read();
      if (octet < 0) {
        throw new EOFException("the proxy " + route.proxy() + " closed the connection before answering CONNECT "
            + authority);
      }
      if (head.length() >= MAX_HEAD_BYTES) {
        throw new IOException("the proxy " + route.proxy() + " answered CONNECT with a head larger than "
            + MAX_HEAD_BYTES + " bytes");
      }
      head.append((char) octet);
    }
    String statusLine = head.substring(0, head.indexOf("\r\n"));
    if (!statusLine.matches("HTTP/1\\.[01] 2\\d\\d( .*)?")) {
      throw new IOException("the proxy " + route.proxy() + " refused CONNECT " + authority + ": " + quote(statusLine));
    }
  }

  /** The request body, written once per attempt. */
  @FunctionalInterface
  interface RequestBody {
    void writeTo(OutputStream out) throws IOException;
  }

  /** An HTTP response as the SDK's exporters take it, with the few header fields this connection and the sender use. */
  static final class Response implements io.opentelemetry.sdk.common.export.HttpResponse {
    final int status;
    final String reason;
    long contentLength = -1;
    String transferEncoding;
    String contentEncoding;
    String retryAfter;
    boolean keepAlive;
    byte[] body;

    Response(int status, String reason) {
      this.status = status;
      this.reason = reason;
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return reason;
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }
  }

  /** A response the exporters cannot use; sending again would bring the same one, so it is not retried by default. */
  static class UnreadableResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableResponseException(String message) {
      super(message);
    }
  }

  /** A response body above {@code HttpSenderConfig.getMaxResponseBodySize()}. */
  static final class ResponseTooLargeException extends UnreadableResponseException {
    private static final long serialVersionUID = 1L;

    ResponseTooLargeException(long maxBodyBytes) {
      super("HTTP response body larger than " + maxBodyBytes + " bytes");
    }
  }
}
