package dev.tracelight.agent.it.runtimemetrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints what the JVM says about itself (pools, collectors, processors) so the test can compare the exported metrics
 * with it, makes garbage and a collection, and stays up long enough for periodic exports. Args: milliseconds to stay.
 */
public final class BusyApp {
  private BusyApp() {}

  public static void main(String[] args) throws Exception {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      System.out.println("POOL " + pool.getType().name() + " " + pool.getUsage().getMax() + " " + pool.getName());
    }
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      System.out.println("GC " + collector.getName());
    }
    System.out.println("CPUS=" + Runtime.getRuntime().availableProcessors());
    List<byte[]> garbage = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      garbage.add(new byte[10_000]);
      if (garbage.size() > 100) {
        garbage.clear();
      }
    }
    System.gc();
    Thread.sleep(Long.parseLong(args[0]));
  }
}
