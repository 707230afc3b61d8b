package dev.tracelight.bootstrap.db;

import io.opentelemetry.api.common.AttributeKey;

/** Stable database semantic-convention names (semconv 1.33+), the one place that spells them. */
public final class DbAttributes {
  public static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  public static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  public static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  public static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
  public static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  public static final AttributeKey<String> DB_QUERY_SUMMARY = AttributeKey.stringKey("db.query.summary");
  public static final AttributeKey<Long> DB_OPERATION_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  public static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** {@code db.client.operation.duration}: seconds, with the conventions' bucket advice. */
  public static final String OPERATION_DURATION = "db.client.operation.duration";

  private DbAttributes() {}
}
