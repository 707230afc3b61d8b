package dev.tracelight.bootstrap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.bootstrap.db.DbTarget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "jdbc:postgresql://db.internal:6543/shop?ssl=true&password=hunter2 | postgresql | shop | db.internal | 6543",
      "jdbc:postgresql://db1,db2:5433/shop                              | postgresql | shop | db1         | 5432",
      "jdbc:postgresql://[::1]:5444/shop                                | postgresql | shop | ::1         | 5444",
      "jdbc:postgresql:shop                                             | postgresql | shop | localhost   | 5432",
      "jdbc:mysql://user:pw@mysql:3307/orders                           | mysql      | orders | mysql     | 3307",
      "jdbc:mariadb://maria/orders                                      | mariadb    | orders | maria     | 3306",
      "jdbc:sqlserver://sql\\prod:1444;databaseName=crm;user=sa        | microsoft.sql_server | crm | sql | 1444",
      "jdbc:oracle:thin:@ora:1522:ORCL                                  | oracle.db  | ORCL | ora         | 1522",
      "jdbc:oracle:thin:@//ora:1521/sales.example                       | oracle.db  | sales.example | ora | 1521",
      "jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1                               | h2database | shop | -           | -1",
      "jdbc:h2:file:/var/data/shop                                      | h2database | /var/data/shop | - | -1",
      "jdbc:h2:tcp://h2host/~/shop                                      | h2database | ~/shop | h2host    | 9092",
      "jdbc:hsqldb:mem:test                                             | hsqldb     | test | -           | -1",
      "jdbc:unknown://x:1/y                                             | other_sql  | -    | -           | -1",
  })
  void readsSystemDatabaseAndServer(String url, String system, String namespace, String host, long port) {
    DbTarget target = JdbcUrl.parse(url);
    assertThat(target.systemName()).isEqualTo(system);
    assertThat(target.namespace()).isEqualTo(namespace);
    assertThat(target.serverAddress()).isEqualTo(host);
    assertThat(target.serverPort()).isEqualTo(port);
  }
}
