package dev.tracelight.samples.users;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Service "test1" of the reference setup: users over JDBC. H2 in-process stands in for the walkthrough's database so the
 * sample needs no server; the SQL goes through JDBC and HikariCP exactly as with PostgreSQL. No tracing code anywhere:
 * run it with {@code -javaagent:javaagent.jar} (or let the injector add it in Kubernetes).
 */
@SpringBootApplication
public class UserServiceApplication {
  public static void main(String[] args) {
    application().run(args);
  }

  /** Defaults in code, not application.properties, so both samples can share one class path in tests. */
  public static SpringApplication application() {
    SpringApplication application = new SpringApplication(UserServiceApplication.class);
    application.setDefaultProperties(Map.of(
        "server.port", "${PORT:8001}",
        "spring.datasource.url", "${DATABASE_URL:jdbc:h2:mem:users;DB_CLOSE_DELAY=-1}",
        "spring.sql.init.mode", "always",
        "spring.sql.init.schema-locations", "classpath:users/schema.sql",
        "spring.sql.init.data-locations", "classpath:users/data.sql",
        "spring.main.banner-mode", "off"));
    return application;
  }
}
