package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Apache HttpClient 4 under the agent, oldest line with {@code InternalHttpClient} (4.3) and newest (4.5), calling a
 * JDK HttpServer in the same app: the same calls and assertions as {@link ApacheHttpClient5IT}.
 */
class ApacheHttpClient4IT {
  @Test
  void httpClient43TracesCallsAndPropagatesContext() throws Exception {
    assertCalls("httpclient4-oldest");
  }

  @Test
  void httpClient45TracesCallsAndPropagatesContext() throws Exception {
    assertCalls("httpclient4");
  }

  private static void assertCalls(String libs) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = run(receiver, libs);
      ApacheHttpClient5IT.assertHttpClientCalls(result, receiver.spans());
      assertThat(receiver.spans()).hasSize(7);
    }
  }

  private static ForkedApp.Result run(OtlpReceiver receiver, String libs) throws Exception {
    ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.apachehttpclient4.HttpClient4App",
        ForkedLibraries.itLibs(libs)).exportingTo(receiver).run();
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result;
  }
}
