package dev.tracelight.collector.traceview;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tracelight.collector.config.HostPort;
import dev.tracelight.collector.exporter.ExportResult;
import dev.tracelight.collector.exporter.Exporter;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.Signal;
import dev.tracelight.collector.telemetry.Log;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Set;

/**
 * Exporter {@code traceview}: keeps recent traces in a {@link TraceStore} and shows them in the browser (list, waterfall,
 * span details) and as JSON, without a tracing backend. Storing cannot fail for want of room (the store evicts the
 * oldest traces), so every request succeeds; only traces are shown, and other signals are acknowledged and dropped.
 */
public final class TraceViewExporter implements Exporter {
  private final String id;
  private final TraceStore store;
  private final TraceViewServer server;
  private final Set<Signal> ignoredSignalsLogged = EnumSet.noneOf(Signal.class);

  private TraceViewExporter(String id, TraceStore store, TraceViewServer server) {
    this.id = id;
    this.store = store;
    this.server = server;
  }

  /** Starts serving the view on {@code endpoint}; fails naming the exporter and address if it cannot listen. */
  public static TraceViewExporter start(String id, HostPort endpoint, TraceStore store) throws IOException {
    TraceViewServer server;
    try {
      server = TraceViewServer.start(endpoint.toSocketAddress(), store);
    } catch (IOException | RuntimeException e) {
      throw new IOException("exporter " + id + ": cannot listen on " + endpoint + ": " + e.getMessage(), e);
    }
    InetSocketAddress a = server.address();
    Log.info("exporter " + id + ": trace view on http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/");
    return new TraceViewExporter(id, store, server);
  }

  public InetSocketAddress address() {
    return server.address();
  }

  TraceStore store() {
    return store;
  }

  @Override
  public ExportResult export(OtlpRequest request) {
    if (request.signal() != Signal.TRACES) {
      logIgnoredOnce(request.signal());
      return ExportResult.success();
    }
    ExportTraceServiceRequest traces;
    try {
      traces = ExportTraceServiceRequest.parseFrom(request.bytes());
    } catch (InvalidProtocolBufferException e) {
      // The receiver checked the bytes already; this would be a bug upstream, and retrying cannot fix it.
      return ExportResult.permanent("exporter " + id + ": cannot decode the request: " + e.getMessage());
    }
    store.add(traces);
    return ExportResult.success();
  }

  @Override
  public void close() {
    server.close();
  }

  private void logIgnoredOnce(Signal signal) {
    synchronized (ignoredSignalsLogged) {
      if (ignoredSignalsLogged.add(signal)) {
        Log.warn("exporter " + id + ": shows traces only; " + signal.id() + " sent to it are dropped (remove it from "
            + "the " + signal.id() + " pipeline)");
      }
    }
  }
}
