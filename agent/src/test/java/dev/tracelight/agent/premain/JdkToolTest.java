package dev.tracelight.agent.premain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdkToolTest {
  @ParameterizedTest
  @ValueSource(strings = {
    "jdk.jcmd/sun.tools.jcmd.JCmd -l",
    "jdk.jcmd/sun.tools.jps.Jps",
    "java.base/sun.security.tools.keytool.Main -list",
    "jdk.jartool/sun.tools.jar.Main --version",
    "jdk.compiler/com.sun.tools.javac.Main Foo.java",
    "jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider",
    "jdk.jfr/jdk.jfr.internal.tool.Main print x.jfr",
    "sun.tools.jcmd.JCmd"
  })
  void recognizesJdkTools(String javaCommand) {
    assertThat(JdkTool.isRunning(javaCommand)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "com.example.App --port 8080",
    "app.jar",
    "/opt/app/app.jar --spring.profiles.active=prod",
    "com.example.app/com.example.Main",
    "jdk.compiler/com.sun.tools.javac.launcher.Main Hello.java",
    "jdk.compiler/com.sun.tools.javac.launcher.SourceLauncher Hello.java",
    "org.springframework.boot.loader.launch.JarLauncher",
    "jdk.apps/service.jar",
    ""
  })
  void leavesApplicationsAlone(String javaCommand) {
    assertThat(JdkTool.isRunning(javaCommand)).isFalse();
  }
}
