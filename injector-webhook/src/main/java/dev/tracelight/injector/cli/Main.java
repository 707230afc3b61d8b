package dev.tracelight.injector.cli;

import dev.tracelight.injector.manifest.ManifestException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar injector-webhook.jar inject|serve …}. */
public final class Main {

  /**
   * The project's init image (init-image/, tagged with the project version), used when an Instrumentation names no
   * spec.java.image. The version comes from the jar's manifest; classes run from a build directory have none.
   */
  static final String DEFAULT_JAVA_IMAGE = "tracelight/init-image:" + java.util.Objects.requireNonNullElse(
      Main.class.getPackage().getImplementationVersion(), "0.1.0-SNAPSHOT");

  private Main() {
  }

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      // One line per record, so that container logs stay greppable.
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %5$s%6$s%n");
    }
    int status = run(Arrays.asList(args), System.in, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs a command; returns its exit status, except for {@code serve}, which runs until stopped. */
  static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help")) {
      err.print(usage());
      return args.isEmpty() ? 2 : 0;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      return switch (args.get(0)) {
        case "inject" -> InjectCommand.run(rest, stdin, out, err);
        case "serve" -> ServeCommand.run(rest, err);
        default -> throw new Arguments.UsageException("unknown command " + args.get(0));
      };
    } catch (Arguments.UsageException e) {
      err.println("error: " + e.getMessage());
      err.print(usage());
      return 2;
    } catch (ManifestException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }

  private static String usage() {
    return "usage: java -jar injector-webhook.jar COMMAND\n\n" + InjectCommand.USAGE + "\n" + ServeCommand.USAGE;
  }
}
