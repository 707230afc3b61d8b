package dev.tracelight.agent.grpcsender;

import dev.tracelight.agent.export.TlsSockets;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/2 client connection (RFC 9113) carrying one request at a time: cleartext with prior knowledge (h2c, what a
 * gRPC endpoint at {@code http://} expects) or TLS with ALPN {@code h2}. Only what a unary gRPC call needs: no server
 * push (disabled in our SETTINGS), no priorities, no concurrent streams. Flow control is honoured both ways: request
 * DATA waits for the peer's windows, and every DATA octet received is credited back at once.
 */
final class Http2Connection implements Closeable {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DATA = 0x0;
  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;
  private static final int SETTINGS = 0x4;
  private static final int PUSH_PROMISE = 0x5;
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;
  private static final int WINDOW_UPDATE = 0x8;
  private static final int CONTINUATION = 0x9;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;
  /** The default SETTINGS_MAX_FRAME_SIZE, which we never raise: the largest frame the peer may send us. */
  private static final int MAX_FRAME_SIZE = 16_384;
  private static final int DEFAULT_WINDOW = 65_535;
  private static final int CANCEL = 0x8;
  /** Stream ids are 31 bits; a connection that used them all is replaced. */
  private static final int LAST_STREAM_ID = Integer.MAX_VALUE - 2;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final HpackDecoder decoder = new HpackDecoder();
  private final byte[] frameHeader = new byte[9];
  private final byte[] payload = new byte[MAX_FRAME_SIZE];
  private int nextStreamId = 1;
  private long connectionSendWindow = DEFAULT_WINDOW;
  private int initialStreamWindow = DEFAULT_WINDOW;
  private int peerMaxFrameSize = MAX_FRAME_SIZE;
  private boolean goingAway;
  private boolean broken;
  /** The stream being exchanged, and its send window (adjusted when SETTINGS change the initial window). */
  private int activeStream;
  private long streamSendWindow;

  private Http2Connection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), MAX_FRAME_SIZE + 9));
    this.out = new BufferedOutputStream(socket.getOutputStream(), MAX_FRAME_SIZE + 9);
  }

  /** Connects to {@code endpoint} ({@code http://} → h2c, {@code https://} → TLS with ALPN h2) and sends the preface. */
  static Http2Connection open(URI endpoint, SSLContext sslContext, List<String> tlsProtocols, int connectTimeoutMillis)
      throws IOException {
    boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
    String host = host(endpoint);
    int port = port(endpoint);
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      if (tls) {
        socket = handshake(socket, host, port, sslContext, tlsProtocols, connectTimeoutMillis);
      }
      Http2Connection connection = new Http2Connection(socket);
      connection.out.write(PREFACE);
      // SETTINGS_ENABLE_PUSH = 0; everything else stays at its default.
      connection.writeFrameHeader(6, SETTINGS, 0, 0);
      connection.out.write(new byte[] {0, 2, 0, 0, 0, 0});
      return connection;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Sends one request (a HEADERS block, then {@code body} as DATA ending the stream) and reads its response to the end
   * of the stream. Throws {@link SocketTimeoutException} when {@code deadlineNanos} passes first.
   */
  Response exchange(List<String> headers, byte[] body, int bodyLength, long deadlineNanos, long maxResponseBytes)
      throws IOException {
    if (!usable()) {
      throw new IOException("HTTP/2 connection is closing");
    }
    try {
      return doExchange(headers, body, bodyLength, deadlineNanos, maxResponseBytes);
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  /** Whether another request may be sent on this connection. */
  boolean usable() {
    return !broken && !goingAway && nextStreamId < LAST_STREAM_ID && !socket.isClosed();
  }

  @Override
  public void close() {
    broken = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  private Response doExchange(List<String> headers, byte[] body, int bodyLength, long deadlineNanos,
      long maxResponseBytes) throws IOException {
    int stream = nextStreamId;
    nextStreamId += 2;
    activeStream = stream;
    streamSendWindow = initialStreamWindow;
    Response response = new Response(maxResponseBytes);
    writeHeaders(stream, HpackEncoder.encode(headers));
    int sent = 0;
    while (sent < bodyLength && !response.ended) {
      int chunk = (int) Math.min(Math.min(bodyLength - sent, peerMaxFrameSize),
          Math.min(connectionSendWindow, streamSendWindow));
      if (chunk <= 0) {
        out.flush();
        readFrame(stream, response, deadlineNanos);  // until a WINDOW_UPDATE (or an early answer) arrives
        continue;
      }
      boolean last = sent + chunk == bodyLength;
      writeFrameHeader(chunk, DATA, last ? END_STREAM : 0, stream);
      out.write(body, sent, chunk);
      sent += chunk;
      connectionSendWindow -= chunk;
      streamSendWindow -= chunk;
    }
    if (sent < bodyLength) {
      // The server answered before reading the whole request (an error, typically): close our half of the stream.
      writeFrameHeader(4, RST_STREAM, 0, stream);
      writeInt(CANCEL);
    }
    out.flush();
    while (!response.ended) {
      readFrame(stream, response, deadlineNanos);
    }
    activeStream = 0;
    return response;
  }

  private void writeHeaders(int stream, byte[] block) throws IOException {
    int offset = 0;
    int type = HEADERS;
    do {
      int length = Math.min(block.length - offset, peerMaxFrameSize);
      boolean last = offset + length == block.length;
      writeFrameHeader(length, type, last ? END_HEADERS : 0, stream);
      out.write(block, offset, length);
      offset += length;
      type = CONTINUATION;
    } while (offset < block.length);
  }

  private void readFrame(int stream, Response response, long deadlineNanos) throws IOException {
    long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (remainingMillis <= 0) {
      throw new SocketTimeoutException("no complete gRPC response within the export timeout");
    }
    socket.setSoTimeout((int) Math.min(remainingMillis, Integer.MAX_VALUE));
    int length = readFrameHeader();
    int type = frameHeader[3] & 0xFF;
    int flags = frameHeader[4] & 0xFF;
    int streamId = readInt(frameHeader, 5) & Integer.MAX_VALUE;
    in.readFully(payload, 0, length);
    switch (type) {
      case DATA:
        onData(stream, response, streamId, flags, length);
        break;
      case HEADERS:
        onHeaders(stream, response, streamId, flags, length, deadlineNanos);
        break;
      case RST_STREAM:
        if (streamId == stream) {
          throw new IOException("the server reset the HTTP/2 stream (error code " + readInt(payload, 0) + ")");
        }
        break;
      case SETTINGS:
        if ((flags & ACK) == 0) {
          onSettings(length);
        }
        break;
      case PUSH_PROMISE:
        throw new IOException("HTTP/2 protocol error: PUSH_PROMISE although push is disabled");
      case PING:
        if ((flags & ACK) == 0) {
          writeFrameHeader(8, PING, ACK, 0);
          out.write(payload, 0, 8);
          out.flush();
        }
        break;
      case GOAWAY:
        goingAway = true;
        int lastStream = readInt(payload, 0) & Integer.MAX_VALUE;
        if (lastStream < stream) {
          // The server did not process the request: safe to send it again on a new connection.
          throw new IOException("the server closed the HTTP/2 connection before the request (GOAWAY, error code "
              + readInt(payload, 4) + ")");
        }
        break;
      case WINDOW_UPDATE:
        long increment = readInt(payload, 0) & Integer.MAX_VALUE;
        if (streamId == 0) {
          connectionSendWindow += increment;
        } else if (streamId == activeStream) {
          streamSendWindow += increment;
        }
        break;
      case CONTINUATION:
        throw new IOException("HTTP/2 protocol error: CONTINUATION without HEADERS");
      default:
        break;                                       // PRIORITY and unknown types are ignored, as the spec says
    }
  }

  private void onData(int stream, Response response, int streamId, int flags, int length) throws IOException {
    if (length > 0) {
      // Credit the octets back at once (padding included): responses are small and read whole.
      writeFrameHeader(4, WINDOW_UPDATE, 0, 0);
      writeInt(length);
      if (streamId == stream && (flags & END_STREAM) == 0) {
        writeFrameHeader(4, WINDOW_UPDATE, 0, stream);
        writeInt(length);
      }
      out.flush();
    }
    if (streamId != stream) {
      return;
    }
    int start = 0;
    int end = length;
    if ((flags & PADDED) != 0) {
      start = 1;
      end -= payload[0] & 0xFF;
      if (end < start) {
        throw new IOException("HTTP/2 protocol error: padding longer than the DATA frame");
      }
    }
    if (response.data.size() + (long) (end - start) > response.maxBytes) {
      throw new IOException("gRPC response larger than " + response.maxBytes + " bytes");
    }
    response.data.write(payload, start, end - start);
    if ((flags & END_STREAM) != 0) {
      response.ended = true;
    }
  }

  private void onHeaders(int stream, Response response, int streamId, int flags, int length, long deadlineNanos)
      throws IOException {
    int start = 0;
    int end = length;
    if ((flags & PADDED) != 0) {
      start = 1;
      end -= payload[0] & 0xFF;
    }
    if ((flags & PRIORITY) != 0) {
      start += 5;
    }
    if (end < start) {
      throw new IOException("HTTP/2 protocol error: HEADERS frame shorter than its padding and priority");
    }
    ByteArrayOutputStream block = new ByteArrayOutputStream(end - start);
    block.write(payload, start, end - start);
    boolean endStream = (flags & END_STREAM) != 0;
    boolean endHeaders = (flags & END_HEADERS) != 0;
    while (!endHeaders) {
      int continuationLength = readFrameHeader();
      if ((frameHeader[3] & 0xFF) != CONTINUATION) {
        throw new IOException("HTTP/2 protocol error: header block interrupted by a frame of type "
            + (frameHeader[3] & 0xFF));
      }
      endHeaders = (frameHeader[4] & END_HEADERS) != 0;
      in.readFully(payload, 0, continuationLength);
      block.write(payload, 0, continuationLength);
    }
    // Decoded even for another stream: every header block updates the connection's HPACK table.
    Map<String, String> fields = new HashMap<>();
    decoder.decode(block.toByteArray(), block.size(), (name, value) -> fields.putIfAbsent(name, value));
    if (streamId != stream) {
      return;
    }
    if (response.headers == null) {
      response.headers = fields;
    } else {
      response.trailers = fields;
    }
    if (endStream) {
      response.ended = true;
    }
  }

  private void onSettings(int length) throws IOException {
    for (int i = 0; i + 6 <= length; i += 6) {
      int id = ((payload[i] & 0xFF) << 8) | (payload[i + 1] & 0xFF);
      int value = readInt(payload, i + 2);
      if (id == 0x4) {                               // SETTINGS_INITIAL_WINDOW_SIZE
        if (value < 0) {
          throw new IOException("HTTP/2 protocol error: initial window size above 2^31-1");
        }
        streamSendWindow += value - initialStreamWindow;
        initialStreamWindow = value;
      } else if (id == 0x5) {                        // SETTINGS_MAX_FRAME_SIZE
        peerMaxFrameSize = Math.max(MAX_FRAME_SIZE, Math.min(value, (1 << 24) - 1));
      }
    }
    writeFrameHeader(0, SETTINGS, ACK, 0);
    out.flush();
  }

  private int readFrameHeader() throws IOException {
    try {
      in.readFully(frameHeader);
    } catch (EOFException e) {
      throw new EOFException("the server closed the HTTP/2 connection before the response ended");
    }
    int length = ((frameHeader[0] & 0xFF) << 16) | ((frameHeader[1] & 0xFF) << 8) | (frameHeader[2] & 0xFF);
    if (length > MAX_FRAME_SIZE) {
      throw new IOException("HTTP/2 protocol error: frame of " + length + " octets exceeds " + MAX_FRAME_SIZE);
    }
    return length;
  }

  private void writeFrameHeader(int length, int type, int flags, int stream) throws IOException {
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(type);
    out.write(flags);
    writeInt(stream);
  }

  private void writeInt(int value) throws IOException {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private static int readInt(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16) | ((bytes[offset + 2] & 0xFF) << 8)
        | (bytes[offset + 3] & 0xFF);
  }

  private static Socket handshake(Socket plain, String host, int port, SSLContext sslContext,
      List<String> tlsProtocols, int timeoutMillis) throws IOException {
    SSLSocket tls = TlsSockets.handshake(plain, host, port, sslContext, tlsProtocols, timeoutMillis, "h2");
    if (!"h2".equals(tls.getApplicationProtocol())) {
      throw new SSLException(host + ":" + port + " did not agree to HTTP/2 in the TLS handshake (ALPN h2), which "
          + "gRPC needs");
    }
    return tls;
  }

  static String host(URI endpoint) {
    String host = endpoint.getHost();
    if (host == null) {
      throw new IllegalArgumentException("gRPC endpoint without a host: " + endpoint);
    }
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  static int port(URI endpoint) {
    if (endpoint.getPort() != -1) {
      return endpoint.getPort();
    }
    return "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
  }

  /** A response as read: the first header block (with {@code :status}), the trailers if any, the DATA octets. */
  static final class Response {
    Map<String, String> headers;
    Map<String, String> trailers;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final long maxBytes;
    boolean ended;

    Response(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    /** A field of the trailers, or of the headers (a trailers-only response carries the gRPC status there). */
    String field(String name) {
      String value = trailers == null ? null : trailers.get(name);
      return value != null || headers == null ? value : headers.get(name);
    }
  }
}
