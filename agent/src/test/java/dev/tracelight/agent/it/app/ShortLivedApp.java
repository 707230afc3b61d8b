package dev.tracelight.agent.it.app;

/** An application that is done before the agent's SDK is built: prints one line, logs one record, and ends. */
public final class ShortLivedApp {
  private ShortLivedApp() {}

  public static void main(String[] args) {
    java.util.logging.Logger.getLogger("short-lived").info("done");
    System.out.println("BYE");
  }
}
