package dev.tracelight.collector.receiver;

import dev.tracelight.collector.config.OtlpReceiverConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP receiver's CORS policy, as the collector's {@code cors} block defines it: origins may contain {@code *}
 * wildcards ({@code https://*.example.com}, {@code http://*}); request headers beyond the CORS-safe defaults must be
 * listed in {@code allowed_headers} ({@code *} allows any); {@code max_age} lets browsers cache a preflight.
 */
final class Cors {
  /** Always allowed, as the collector's CORS library does. */
  private static final List<String> DEFAULT_HEADERS = List.of("accept", "content-type", "x-requested-with", "origin");

  private final List<Pattern> origins;
  private final List<String> headers;
  private final boolean anyHeader;
  private final int maxAge;

  private Cors(List<Pattern> origins, List<String> headers, boolean anyHeader, int maxAge) {
    this.origins = origins;
    this.headers = headers;
    this.anyHeader = anyHeader;
    this.maxAge = maxAge;
  }

  static Cors create(OtlpReceiverConfig.Cors config) {
    List<Pattern> origins = new ArrayList<>();
    for (String o : config.allowedOrigins()) {
      List<String> parts = new ArrayList<>();
      for (String part : o.split("\\*", -1)) {
        parts.add(Pattern.quote(part));
      }
      origins.add(Pattern.compile(String.join(".*", parts), Pattern.CASE_INSENSITIVE));
    }
    List<String> headers = new ArrayList<>(DEFAULT_HEADERS);
    config.allowedHeaders().forEach(h -> headers.add(h.toLowerCase(Locale.ROOT)));
    return new Cors(origins, headers, config.allowedHeaders().contains("*"), config.maxAgeSeconds());
  }

  boolean enabled() {
    return !origins.isEmpty();
  }

  boolean allows(String origin) {
    return origin != null && origins.stream().anyMatch(p -> p.matcher(origin).matches());
  }

  /** Headers for a preflight answer, or null when the origin, method or a requested header is not allowed. */
  Map<String, String> preflight(String origin, String method, String requestHeaders) {
    if (!allows(origin) || !"POST".equalsIgnoreCase(method)) {
      return null;
    }
    List<String> requested = new ArrayList<>();
    if (requestHeaders != null) {
      for (String h : requestHeaders.split(",")) {
        String name = h.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          if (!anyHeader && !headers.contains(name)) {
            return null;
          }
          requested.add(name);
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Access-Control-Allow-Origin", origin);
    out.put("Access-Control-Allow-Methods", "POST");
    if (!requested.isEmpty()) {
      out.put("Access-Control-Allow-Headers", String.join(", ", requested));
    }
    if (maxAge > 0) {
      out.put("Access-Control-Max-Age", Integer.toString(maxAge));
    }
    out.put("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    return out;
  }
}
