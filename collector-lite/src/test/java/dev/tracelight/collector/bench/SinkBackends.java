package dev.tracelight.collector.bench;

import com.sun.net.httpserver.HttpServer;
import dev.tracelight.collector.otlp.OtlpGrpc;
import dev.tracelight.collector.pipeline.OtlpWire;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/** Two OTLP sinks for the benchmark (gRPC and HTTP) that only count the spans they receive. */
final class SinkBackends implements AutoCloseable {
  final AtomicLong grpcSpans = new AtomicLong();
  final AtomicLong httpSpans = new AtomicLong();
  private final Server grpc;
  private final HttpServer http;

  SinkBackends() throws IOException {
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .maxInboundMessageSize(64 << 20)
        .addService(ServerServiceDefinition.builder(Signal.TRACES.grpcService())
            .addMethod(OtlpGrpc.export(Signal.TRACES), ServerCalls.asyncUnaryCall((req, obs) -> {
              try {
                grpcSpans.addAndGet(OtlpWire.count(Signal.TRACES, req));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              obs.onNext(new byte[0]);
              obs.onCompleted();
            })).build())
        .build().start();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    http.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "sink-http");
      t.setDaemon(true); // the benchmark JVM must be able to exit
      return t;
    }));
    http.createContext("/v1/traces", exchange -> {
      try (exchange; InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        httpSpans.addAndGet(OtlpWire.count(Signal.TRACES, in.readAllBytes()));
        exchange.sendResponseHeaders(200, -1);
      } catch (Exception e) {
        exchange.sendResponseHeaders(500, -1);
      }
    });
    http.start();
  }

  int grpcPort() {
    return grpc.getPort();
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    grpc.shutdownNow();
    http.stop(0);
  }
}
