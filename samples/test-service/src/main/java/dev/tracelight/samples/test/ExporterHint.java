package dev.tracelight.samples.test;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The walkthrough's services read {@code OTLP_GRPC_ENDPOINT} in their own tracing code. With zero-code tracing the agent
 * reads the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT} (which the injector sets); say so when the two disagree, so a
 * user porting the manifests knows which one counts.
 */
@Component
final class ExporterHint {
  private static final Logger log = LoggerFactory.getLogger(ExporterHint.class);
  private final String walkthroughEndpoint;

  ExporterHint(@Value("${test.otlp-grpc-endpoint}") String walkthroughEndpoint) {
    this.walkthroughEndpoint = walkthroughEndpoint.strip();
  }

  @EventListener(ApplicationReadyEvent.class)
  void explain() {
    String agentEndpoint = System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (!walkthroughEndpoint.isEmpty() && !walkthroughEndpoint.equals(agentEndpoint)) {
      log.info("OTLP_GRPC_ENDPOINT={} is not used: the agent exports to OTEL_EXPORTER_OTLP_ENDPOINT={}",
          walkthroughEndpoint, agentEndpoint == null ? "(unset: http://localhost:4318)" : agentEndpoint);
    }
  }
}
