package dev.tracelight.bootstrap.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStatementTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "SELECT * FROM users WHERE name = 'bob'            | SELECT * FROM users WHERE name = ?",
      "SELECT * FROM users WHERE name = 'it''s'          | SELECT * FROM users WHERE name = ?",
      "SELECT * FROM t WHERE a = E'it\\'s \\\\' AND b = 1 | SELECT * FROM t WHERE a = ? AND b = ?",
      "SELECT * FROM t WHERE id = 42                     | SELECT * FROM t WHERE id = ?",
      "SELECT * FROM t WHERE x = -3.5e-10 OR y = .5      | SELECT * FROM t WHERE x = -? OR y = ?",
      "SELECT * FROM t WHERE h = 0xFF AND b = X'0A'      | SELECT * FROM t WHERE h = ? AND b = ?",
      "SELECT col1, t2.col_3 FROM table1 t2              | SELECT col1, t2.col_3 FROM table1 t2",
      "SELECT \"Weird 'Name'\" FROM \"My Table\"          | SELECT \"Weird 'Name'\" FROM \"My Table\"",
      "SELECT `a` FROM `b` WHERE c = 'd'                 | SELECT `a` FROM `b` WHERE c = ?",
      "SELECT $$secret 'x' $$, $tag$ a $ b $tag$ FROM t  | SELECT ?, ? FROM t",
      "SELECT * FROM t WHERE a = $1 AND b = :name AND c = ? | SELECT * FROM t WHERE a = $1 AND b = :name AND c = ?",
      "SELECT a::text FROM t                             | SELECT a::text FROM t",
      "SELECT * FROM t WHERE id IN (1, 2, 3)             | SELECT * FROM t WHERE id IN (?)",
      "SELECT * FROM t WHERE id in ('a','b')             | SELECT * FROM t WHERE id in (?)",
      "SELECT * FROM t WHERE id IN (?, ?, ?)             | SELECT * FROM t WHERE id IN (?, ?, ?)",
      "SELECT * FROM t WHERE id IN (SELECT x FROM u WHERE y = 1) | SELECT * FROM t WHERE id IN (SELECT x FROM u WHERE y = ?)",
      "SELECT 1 -- password 'hunter2'                    | SELECT ?",
      "SELECT /* user=bob */ a FROM t                    | SELECT  a FROM t",
      "SELECT a/*x*/FROM t                               | SELECT a FROM t",
      "SELECT * FROM t WHERE s = 'unterminated           | SELECT * FROM t WHERE s = ?",
      "INSERT INTO t (a, b) VALUES (1, 'two')            | INSERT INTO t (a, b) VALUES (?, ?)",
      "SELECT N'x', B'01', U&'d\\0061t' FROM t           | SELECT ?, ?, U&? FROM t",
  })
  void replacesEveryLiteralAndKeepsTheRest(String sql, String expected) {
    assertThat(SqlStatement.of(sql).queryText()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "SELECT * FROM users WHERE id = ?                        | SELECT | users    | SELECT users",
      "select a from Users u join orders o on u.id = o.uid     | SELECT |          | SELECT Users orders",
      "SELECT * FROM a, b WHERE a.x = b.y                      | SELECT |          | SELECT a b",
      "SELECT * FROM public.users                              | SELECT | public.users | SELECT public.users",
      "SELECT 1                                                | SELECT |          | SELECT",
      "INSERT INTO users (id, name) VALUES (?, ?)              | INSERT | users    | INSERT users",
      "INSERT INTO archive SELECT * FROM users WHERE id < 10   | INSERT |          | INSERT archive SELECT users",
      "UPDATE users SET name = 'x' WHERE id = 1                | UPDATE | users    | UPDATE users",
      "DELETE FROM users WHERE id = 1                          | DELETE | users    | DELETE users",
      "CREATE TABLE IF NOT EXISTS users (id INT PRIMARY KEY)   | CREATE TABLE | users | CREATE TABLE users",
      "DROP TABLE users                                        | DROP TABLE | users | DROP TABLE users",
      "CREATE UNIQUE INDEX users_name ON users (name)          | CREATE INDEX | users_name | CREATE INDEX users_name",
      "{call add_user(?, ?)}                                   | CALL   |          | CALL add_user",
      "{? = call next_id()}                                    | CALL   |          | CALL next_id",
      "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent | SELECT | recent | SELECT recent",
      "SELECT * FROM t FOR UPDATE SKIP LOCKED                  | SELECT | t        | SELECT t",
      "INSERT INTO t (k) VALUES (1) ON CONFLICT (k) DO UPDATE SET v = 2 | INSERT | t | INSERT t",
      "BEGIN                                                   | BEGIN  |          | BEGIN",
      "SELECT count(*) FROM (SELECT * FROM inner_t) x          | SELECT | inner_t  | SELECT inner_t",
  })
  void summarizesOperationAndTables(String sql, String operation, String collection, String summary) {
    SqlStatement statement = SqlStatement.of(sql);
    assertThat(statement.operationName()).isEqualTo(operation);
    assertThat(statement.collectionName()).isEqualTo(collection);
    assertThat(statement.summary()).isEqualTo(summary);
  }

  @Test
  void quotedTableNamesLoseTheirQuotes() {
    SqlStatement statement = SqlStatement.of("SELECT * FROM \"Order Lines\" WHERE id = 7");
    assertThat(statement.collectionName()).isEqualTo("Order Lines");
    assertThat(statement.summary()).isEqualTo("SELECT Order Lines");
  }

  @Test
  void keywordsInsideStringsAreNotOperations() {
    SqlStatement statement = SqlStatement.of("SELECT 'FROM secret' FROM visible");
    assertThat(statement.queryText()).isEqualTo("SELECT ? FROM visible");
    assertThat(statement.summary()).isEqualTo("SELECT visible");
  }

  @Test
  void textWithoutSqlHasNoOperation() {
    SqlStatement statement = SqlStatement.of("  42  ");
    assertThat(statement.queryText()).isEqualTo("?");
    assertThat(statement.operationName()).isNull();
    assertThat(statement.summary()).isNull();
  }

  @Test
  void nullTextGivesNothing() {
    assertThat(SqlStatement.of(null).queryText()).isNull();
  }

  @Test
  void longSummariesAreCutAtAWordWithinTheLimit() {
    StringBuilder sql = new StringBuilder("SELECT * FROM t0");
    for (int i = 1; i < 100; i++) {
      sql.append(" JOIN table_number_").append(i).append(" ON x = y");
    }
    String summary = SqlStatement.of(sql.toString()).summary();
    assertThat(summary).hasSizeLessThanOrEqualTo(SqlStatement.MAX_SUMMARY_LENGTH).startsWith("SELECT t0 table_number_1 ")
        .doesNotEndWith(" ");
  }
}
