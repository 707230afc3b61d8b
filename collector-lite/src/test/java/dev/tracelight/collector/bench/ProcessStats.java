package dev.tracelight.collector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak RSS of another process, from Linux /proc. */
public final class ProcessStats {
  private static final double TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux this runs on

  private ProcessStats() {}

  /** User + system CPU seconds used so far. */
  public static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime (fields 14, 15)
  }

  /** Peak resident set size (VmHWM) in MiB. */
  public static double peakRssMib(long pid) throws IOException {
    return status(pid, "VmHWM:") / 1024.0;
  }

  public static double rssMib(long pid) throws IOException {
    return status(pid, "VmRSS:") / 1024.0;
  }

  /** Threads of the process now. */
  public static int threads(long pid) throws IOException {
    return (int) status(pid, "Threads:");
  }

  private static long status(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
