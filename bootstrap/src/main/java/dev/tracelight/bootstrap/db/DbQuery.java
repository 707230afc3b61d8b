package dev.tracelight.bootstrap.db;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What one database call does, already sanitized: the text, operation, collection and summary for its span. */
public final class DbQuery {
  private final String queryText;
  private final String operationName;
  private final String collectionName;
  private final String summary;
  private final long batchSize;

  private DbQuery(String queryText, String operationName, String collectionName, String summary, long batchSize) {
    this.queryText = queryText;
    this.operationName = operationName;
    this.collectionName = collectionName;
    this.summary = summary;
    this.batchSize = batchSize;
  }

  /** Every argument may be null; {@code queryText} must not carry values (sanitize first). */
  public static DbQuery create(String queryText, String operationName, String collectionName, String summary) {
    return new DbQuery(queryText, operationName, collectionName, summary, 0);
  }

  public static DbQuery of(SqlStatement statement) {
    return create(statement.queryText(), statement.operationName(), statement.collectionName(), statement.summary());
  }

  /**
   * {@code count} executions of the {@code statements} (one for a prepared batch, one per addBatch otherwise) as one
   * call. Per the conventions: distinct texts joined by {@code "; "}, operation {@code BATCH INSERT} when they share
   * one, else {@code BATCH}; a batch of one is an ordinary call.
   */
  public static DbQuery batch(List<SqlStatement> statements, long count) {
    if (count < 2 && statements.size() == 1) {
      return of(statements.get(0));
    }
    Set<String> texts = new LinkedHashSet<>();
    Set<String> operations = new LinkedHashSet<>();
    Set<String> collections = new LinkedHashSet<>();
    Set<String> summaries = new LinkedHashSet<>();
    for (SqlStatement statement : statements) {
      texts.add(statement.queryText());
      operations.add(statement.operationName());
      collections.add(statement.collectionName());
      summaries.add(statement.summary());
    }
    String operation = operations.size() == 1 && operations.iterator().next() != null
        ? "BATCH " + operations.iterator().next() : "BATCH";
    String collection = collections.size() == 1 ? collections.iterator().next() : null;
    String summary = summaries.size() == 1 && summaries.iterator().next() != null
        ? "BATCH " + summaries.iterator().next() : "BATCH";
    return new DbQuery(texts.isEmpty() ? null : String.join("; ", texts), operation, collection, summary, count);
  }

  public String queryText() {
    return queryText;
  }

  public String operationName() {
    return operationName;
  }

  public String collectionName() {
    return collectionName;
  }

  public String summary() {
    return summary;
  }

  /** How many operations a batch call carries; 0 when it is not a batch. */
  public long batchSize() {
    return batchSize;
  }
}
