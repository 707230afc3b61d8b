package dev.tracelight.agent.it.servlet;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** Spring MVC set-up of {@link TomcatApp}; the same class runs on Spring 5 and 6. */
@Configuration
@EnableWebMvc
public class WebConfig {
  @Bean
  public UsersController usersController() {
    return new UsersController();
  }
}
