package dev.tracelight.bootstrap.db;

import dev.tracelight.bootstrap.Suppression;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.List;

/**
 * CLIENT spans and the {@code db.client.operation.duration} histogram for any database client (JDBC, Redis…), with
 * the stable database conventions. Span name: {@code db.query.summary}, else {@code <operation> <collection>}, else
 * the operation, else the system name.
 */
public final class DbClientSpans {
  private static final ContextKey<DbCall> CURRENT_CALL = ContextKey.named("tracelight-db-call");
  private static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
  private static volatile Duration duration = new Duration(null, null);

  private DbClientSpans() {}

  /**
   * Starts a span as a child of the current context, or returns null when a database call of ours is already current
   * (a driver calling itself, a pool delegating to the driver: one span per call) or instrumentation is suppressed.
   *
   * @param makeCurrent true for a call that completes on this thread (undone by {@link #end}); false for an
   *     asynchronous one ended elsewhere
   */
  public static DbCall start(DbTarget target, DbQuery query, boolean makeCurrent) {
    Context parent = Context.current();
    if (parent.get(CURRENT_CALL) != null || Suppression.isSuppressed(parent)) {
      return null;
    }
    SpanBuilder builder = Tracing.tracer().spanBuilder(spanName(target, query))
        .setParent(parent)
        .setSpanKind(SpanKind.CLIENT)
        .setAllAttributes(target.attributes());
    AttributesBuilder metric = target.attributes().toBuilder();
    if (query.operationName() != null) {
      builder.setAttribute(DbAttributes.DB_OPERATION_NAME, query.operationName());
      metric.put(DbAttributes.DB_OPERATION_NAME, query.operationName());
    }
    if (query.collectionName() != null) {
      builder.setAttribute(DbAttributes.DB_COLLECTION_NAME, query.collectionName());
      metric.put(DbAttributes.DB_COLLECTION_NAME, query.collectionName());
    }
    if (query.summary() != null) {
      builder.setAttribute(DbAttributes.DB_QUERY_SUMMARY, query.summary());
      metric.put(DbAttributes.DB_QUERY_SUMMARY, query.summary());
    }
    if (query.queryText() != null) {
      builder.setAttribute(DbAttributes.DB_QUERY_TEXT, query.queryText());
    }
    if (query.batchSize() > 1) {
      builder.setAttribute(DbAttributes.DB_OPERATION_BATCH_SIZE, query.batchSize());
    }
    Span span = builder.startSpan();
    DbCall call = new DbCall(span, metric.build(), System.nanoTime());
    if (makeCurrent) {
      call.scope = parent.with(span).with(CURRENT_CALL, call).makeCurrent();
    }
    return call;
  }

  /**
   * Ends the span and records the duration.
   *
   * @param error what the call threw, or null
   * @param statusCode the database's own code for the error (SQLState, Redis error prefix), or null
   */
  public static void end(DbCall call, Throwable error, String statusCode) {
    end(call, error == null ? null : error.getClass().getName(), statusCode);
  }

  /**
   * Ends the span and records the duration, for a failure known by its type only (an error reply that the client
   * turns into an exception later, on another thread).
   *
   * @param errorType the class name of the error the caller sees, or null on success
   */
  public static void end(DbCall call, String errorType, String statusCode) {
    if (call == null) {
      return;
    }
    double seconds = (System.nanoTime() - call.startNanos) / 1e9;
    if (call.scope != null) {
      call.scope.close();
    }
    Attributes metricAttributes = call.metricAttributes;
    if (errorType != null) {
      call.span.setAttribute(DbAttributes.ERROR_TYPE, errorType);
      // No message and no exception event: drivers echo the statement, literals included, in their messages (H2).
      call.span.setStatus(StatusCode.ERROR);
      AttributesBuilder withError = metricAttributes.toBuilder().put(DbAttributes.ERROR_TYPE, errorType);
      if (statusCode != null && !statusCode.isEmpty()) {
        call.span.setAttribute(DbAttributes.DB_RESPONSE_STATUS_CODE, statusCode);
        withError.put(DbAttributes.DB_RESPONSE_STATUS_CODE, statusCode);
      }
      metricAttributes = withError.build();
    }
    call.span.end();
    duration().record(seconds, metricAttributes);
  }

  /** The namespace is left out of the name on purpose: a Redis index ({@code SET 0}) says nothing a reader needs. */
  static String spanName(DbTarget target, DbQuery query) {
    if (query.summary() != null) {
      return query.summary();
    }
    String collection = query.collectionName();
    if (query.operationName() != null) {
      return collection == null ? query.operationName() : query.operationName() + " " + collection;
    }
    return collection == null ? target.systemName() : collection;
  }

  /** Built on first use, and again if the SDK was replaced (tests install one each). */
  private static DoubleHistogram duration() {
    OpenTelemetry current = Tracing.openTelemetry();
    Duration built = duration;
    if (built.owner != current) {
      built = new Duration(current, current.getMeter(Tracing.INSTRUMENTATION_SCOPE)
          .histogramBuilder(DbAttributes.OPERATION_DURATION)
          .setUnit("s")
          .setDescription("Duration of database client operations.")
          .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
          .build());
      duration = built;
    }
    return built.histogram;
  }

  /** The histogram and the SDK it belongs to, read together. */
  private static final class Duration {
    final OpenTelemetry owner;
    final DoubleHistogram histogram;

    Duration(OpenTelemetry owner, DoubleHistogram histogram) {
      this.owner = owner;
      this.histogram = histogram;
    }
  }
}
