package dev.tracelight.agent.premain;

/**
 * Recognizes the JDK's own tools (jcmd, jps, keytool, jar, javac, jshell…), which inherit {@code JAVA_TOOL_OPTIONS}
 * and so the {@code -javaagent} meant for the application; tracing them is pointless and slows every tool call.
 */
final class JdkTool {
  private static final String[] TOOL_PACKAGES = {
    "sun.tools.", "sun.security.tools.", "com.sun.tools.", "jdk.internal.", "jdk.jfr.internal.tool.", "jdk.tools.",
    "jdk.javadoc.", "sun.rmi.", "sun.jvm.hotspot.", "com.sun.jndi.", "jdk.jpackage."
  };
  // `java Foo.java` runs the user's program through javac's launcher: that one is an application.
  private static final String SOURCE_LAUNCHER = "com.sun.tools.javac.launcher.";

  private JdkTool() {}

  /**
   * @param javaCommand the {@code sun.java.command} property: the main class or jar, optionally {@code module/class},
   *     then the arguments
   */
  static boolean isRunning(String javaCommand) {
    if (javaCommand == null || javaCommand.isEmpty()) {
      return false;
    }
    int space = javaCommand.indexOf(' ');
    String main = space < 0 ? javaCommand : javaCommand.substring(0, space);
    int slash = main.indexOf('/');
    String mainClass = slash < 0 ? main : main.substring(slash + 1);
    if (mainClass.startsWith(SOURCE_LAUNCHER)) {
      return false;
    }
    if (slash > 0 && main.startsWith("jdk.") && !main.endsWith(".jar")) {
      return true;
    }
    for (String prefix : TOOL_PACKAGES) {
      if (mainClass.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
