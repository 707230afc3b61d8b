package dev.tracelight.itweb.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * A plain Spring Boot 3 service (Tomcat, Spring MVC, RestClient over Apache HttpClient 5, WebClient over Reactor
 * Netty) with no tracing code. Run twice: as "backend" and as "front" ({@code --backend.url=…}), it makes one request
 * cross two services. Prints {@code PORT <port>} once Tomcat listens; {@code --exit-when-ready} exits right then
 * (start-up measurement).
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
        System.exit(0);
      }
    };
  }
}
