package dev.tracelight.injector.cli;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import dev.tracelight.injector.instrumentation.InstrumentationCheck;
import dev.tracelight.injector.manifest.InstrumentationFile;
import dev.tracelight.injector.manifest.ManifestDocuments;
import dev.tracelight.injector.manifest.ManifestException;
import dev.tracelight.injector.manifest.ManifestInjection;
import dev.tracelight.injector.mutation.PodInjection;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code inject -f FILE|- [--instrumentation FILE] [-o yaml|json] [-n NAMESPACE]}: the webhook's mutation applied to a
 * manifest stream, for GitOps and clusters without the webhook. Nothing is written when an annotated workload cannot
 * be injected: a half-injected stream must not be applied.
 */
final class InjectCommand {

  static final String USAGE = """
      inject -f FILE|- [--instrumentation FILE] [-o yaml|json] [-n NAMESPACE] [--java-image IMAGE]
        Adds the Java agent to every workload (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob) annotated
        instrumentation.opentelemetry.io/inject-java, and writes the stream to stdout; other documents pass through.
        --instrumentation  Instrumentation resources to use (default: the ones in the stream itself)
        -n, --namespace    namespace of documents that name none (default: default)
        --java-image       init image when spec.java.image is empty (default: %s)
      """.formatted(Main.DEFAULT_JAVA_IMAGE);

  private InjectCommand() {
  }

  static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
    Arguments arguments = Arguments.parse("inject", args,
        List.of("-f|--filename", "--instrumentation", "-o|--output", "-n|--namespace", "--java-image"), List.of());
    String file = arguments.value("--filename")
        .orElseThrow(() -> new Arguments.UsageException("inject: -f FILE (or -f - for stdin) is required"));
    String output = arguments.value("--output").orElse("yaml");
    if (!output.equals("yaml") && !output.equals("json")) {
      throw new Arguments.UsageException("inject: -o " + output + ": expected yaml or json");
    }
    InstrumentationCatalog catalog = null;
    if (arguments.value("--instrumentation").isPresent()) {
      String path = arguments.value("--instrumentation").get();
      List<Instrumentation> instrumentations = InstrumentationFile.read(path, read(path, stdin));
      List<String> problems = new ArrayList<>();
      instrumentations.forEach(i -> problems.addAll(InstrumentationCheck.problems(i)));
      if (!problems.isEmpty()) {
        problems.forEach(p -> err.println("error: " + path + ": " + p));
        return 1;
      }
      catalog = InstrumentationCatalog.of(instrumentations);
    }
    List<ObjectNode> documents = ManifestDocuments.read(file, read(file, stdin));
    ManifestInjection injection = ManifestInjection.create(
        PodInjection.create(arguments.value("--java-image").orElse(Main.DEFAULT_JAVA_IMAGE)), catalog,
        arguments.value("--namespace").orElse("default"));
    ManifestInjection.Result result = injection.inject(file, documents);
    result.warnings().forEach(w -> err.println("warning: " + w));
    if (!result.errors().isEmpty()) {
      result.errors().forEach(e -> err.println("error: " + e));
      err.println("error: nothing written: fix the errors above, or remove the inject-java annotation where "
          + "injection is not wanted");
      return 1;
    }
    out.print(ManifestDocuments.write(result.documents(), output.equals("json")));
    out.flush();
    err.println("injected " + result.injected() + " of " + result.documents().size() + " documents");
    return 0;
  }

  private static String read(String path, InputStream stdin) {
    try {
      if (path.equals("-")) {
        return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new ManifestException(path + ": no such file");
    } catch (IOException e) {
      throw new ManifestException(path + ": cannot be read: " + e.getMessage(), e);
    }
  }
}
