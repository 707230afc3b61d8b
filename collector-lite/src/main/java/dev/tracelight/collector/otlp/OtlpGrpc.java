package dev.tracelight.collector.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.StatusProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The OTLP gRPC methods with raw-bytes marshalling: receiver and exporter pass the serialized requests through without
 * building protobuf objects (the receiver still checks them with OtlpWire).
 */
public final class OtlpGrpc {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private static final Map<Signal, MethodDescriptor<byte[], byte[]>> EXPORT = new EnumMap<>(Signal.class);

  static {
    for (Signal s : Signal.values()) {
      EXPORT.put(s, MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(s.grpcService(), "Export"))
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build());
    }
  }

  private OtlpGrpc() {}

  public static MethodDescriptor<byte[], byte[]> export(Signal signal) {
    return EXPORT.get(signal);
  }

  /** A status whose details carry RetryInfo, the OTLP spec's way of telling a client when to retry. */
  public static io.grpc.StatusRuntimeException statusWithRetry(io.grpc.Status.Code code, String message,
      Duration retryAfter) {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(message)
        .addDetails(Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                .setSeconds(retryAfter.getSeconds())
                .setNanos(retryAfter.getNano()))
            .build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  /** The RetryInfo delay in a failed call's status details, or null. */
  public static Duration retryDelay(Throwable failure) {
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(d.getSeconds(), d.getNanos());
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }
}
