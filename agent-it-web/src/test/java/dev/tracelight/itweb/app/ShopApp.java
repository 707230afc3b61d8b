package dev.tracelight.itweb.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * A plain Spring Boot 3 service (Tomcat, Spring MVC, RestClient over Apache HttpClient 5, WebClient over Reactor
 * Netty) with no tracing code. Run twice: as "backend" and as "front" ({@code --backend.url=…}), it makes one request
 * cross two services. Prints {@code PORT <port>} once Tomcat listens; {@code --exit-when-ready} prints
 * {@code READY-MS <JVM uptime>} and exits right then (start-up measurement, startup.sh).
 */
@SpringBootApplication
public class ShopApp {
  public static void main(String[] args) {
    SpringApplication.run(ShopApp.class, args);
  }

  @Bean
  ApplicationListener<WebServerInitializedEvent> portPrinter(
      @org.springframework.beans.factory.annotation.Value("${exit-when-ready:false}") boolean exitWhenReady) {
    return event -> {
      System.out.println("PORT " + event.getWebServer().getPort());
      System.out.flush();
      if (exitWhenReady) {
        // JVM uptime counts from before premain, so the agent's own start-up is included. halt, not exit: exit from
        // inside the context refresh waits on Spring's shutdown hook, which waits for the refresh (deadlock).
        System.out.println("READY-MS " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        System.out.flush();
        Runtime.getRuntime().halt(0);
      }
    };
  }
}
