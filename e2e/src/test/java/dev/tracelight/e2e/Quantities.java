package dev.tracelight.e2e;

import java.math.BigDecimal;
import java.util.Map;

/** Kubernetes resource quantities, the forms manifests use: {@code 512Mi}, {@code 1G}, {@code 500m}, {@code 2}. */
final class Quantities {
  private static final Map<String, Long> SUFFIXES = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30,
      "k", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L);

  private Quantities() {
  }

  static long bytes(String quantity) {
    for (Map.Entry<String, Long> suffix : SUFFIXES.entrySet()) {
      if (quantity.endsWith(suffix.getKey())) {
        String number = quantity.substring(0, quantity.length() - suffix.getKey().length());
        return new BigDecimal(number).multiply(BigDecimal.valueOf(suffix.getValue())).longValueExact();
      }
    }
    return Long.parseLong(quantity);
  }

  static double cores(String quantity) {
    return quantity.endsWith("m")
        ? Double.parseDouble(quantity.substring(0, quantity.length() - 1)) / 1000
        : Double.parseDouble(quantity);
  }
}
