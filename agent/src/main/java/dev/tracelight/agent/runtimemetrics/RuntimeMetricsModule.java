package dev.tracelight.agent.runtimemetrics;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.Tracing;
import java.util.List;

/**
 * JVM runtime metrics per the stable JVM semantic conventions, read from the platform MXBeans at each
 * {@code OTEL_METRIC_EXPORT_INTERVAL}. Nothing is woven: the module only registers instruments.
 */
public final class RuntimeMetricsModule extends InstrumentationModule {
  public RuntimeMetricsModule() {
    super("runtime-telemetry");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of();
  }

  @Override
  public void install() {
    // GC notifications from now on; the instruments on the SDK's thread once it is built: premain does not wait for it
    GcDurations gcDurations = GcDurations.listen();
    Tracing.whenInstalled(() -> JvmMetrics.register(Tracing.openTelemetry().getMeter(Tracing.INSTRUMENTATION_SCOPE),
        gcDurations));
  }
}
