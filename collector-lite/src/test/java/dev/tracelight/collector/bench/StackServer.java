package dev.tracelight.collector.bench;

import com.sun.net.httpserver.HttpServer;
import dev.tracelight.collector.pipeline.OtlpWire;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * The two candidate stacks for the OTLP/HTTP receiver, each doing the same minimal work (read the body, count the spans
 * at the wire level, answer 200), run in their own JVM by ThroughputBench --stack so their CPU and memory can be measured.
 * The Netty variant uses the copy of Netty inside grpc-netty-shaded: measurement only, not a supported API to build on.
 */
public final class StackServer {
  private StackServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    if (args[0].equals("jdk")) {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
      server.setExecutor(Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
      server.createContext("/v1/traces", exchange -> {
        try (exchange) {
          OtlpWire.count(Signal.TRACES, exchange.getRequestBody().readAllBytes());
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
        } catch (Exception e) {
          exchange.sendResponseHeaders(400, -1);
        }
      });
      server.start();
    } else {
      new ServerBootstrap().group(new NioEventLoopGroup(1), new NioEventLoopGroup())
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(20 << 20),
                  new SimpleChannelInboundHandler<FullHttpRequest>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
                      OtlpWire.count(Signal.TRACES, ByteBufUtil.getBytes(req.content()));
                      DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                      res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf");
                      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                      ctx.writeAndFlush(res);
                    }
                  });
            }
          })
          .bind("127.0.0.1", port).sync();
    }
    Thread.currentThread().join();
  }
}
