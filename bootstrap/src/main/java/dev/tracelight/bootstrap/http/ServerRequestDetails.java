package dev.tracelight.bootstrap.http;

import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.common.AttributeKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a server span records beyond the request line: {@code client.address} from {@code Forwarded} /
 * {@code X-Forwarded-For}, and the headers the user asked for with
 * {@code OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS} / {@code _RESPONSE_HEADERS} (off by default:
 * headers may carry personal data).
 */
final class ServerRequestDetails {
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final List<String> REQUEST_HEADERS =
      configuredHeaders("otel.instrumentation.http.server.capture-request-headers");
  static final List<String> RESPONSE_HEADERS =
      configuredHeaders("otel.instrumentation.http.server.capture-response-headers");
  static final List<AttributeKey<List<String>>> REQUEST_HEADER_KEYS = keys("http.request.header.", REQUEST_HEADERS);
  static final List<AttributeKey<List<String>>> RESPONSE_HEADER_KEYS =
      keys("http.response.header.", RESPONSE_HEADERS);

  private ServerRequestDetails() {}

  /**
   * The first {@code for=} of {@code Forwarded} (RFC 7239), else the first entry of {@code X-Forwarded-For}, without
   * port or brackets; null when neither is there or the value is obfuscated ({@code unknown}, {@code _hidden}).
   */
  static String clientAddress(String forwarded, String xForwardedFor) {
    if (forwarded != null) {
      for (String element : forwarded.split("[,;]")) {
        String pair = element.trim();
        if (pair.regionMatches(true, 0, "for=", 0, 4)) {
          return host(unquote(pair.substring(4)));
        }
      }
    }
    if (xForwardedFor != null) {
      int comma = xForwardedFor.indexOf(',');
      return host((comma < 0 ? xForwardedFor : xForwardedFor.substring(0, comma)).trim());
    }
    return null;
  }

  /** Header names the server must read from a request: propagation fields, Host, User-Agent, forwarding, captured. */
  static List<String> headerNames(Iterable<String> propagationFields) {
    Set<String> names = new LinkedHashSet<>();
    for (String field : propagationFields) {
      names.add(field.toLowerCase(Locale.ROOT));
    }
    names.addAll(Arrays.asList("host", "user-agent", "forwarded", "x-forwarded-for"));
    names.addAll(REQUEST_HEADERS);
    return List.copyOf(names);
  }

  private static String host(String value) {
    if (value.isEmpty() || value.equalsIgnoreCase("unknown") || value.startsWith("_")) {
      return null;
    }
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      return end < 0 ? null : value.substring(1, end);
    }
    int colon = value.indexOf(':');
    // one colon: IPv4 or a name with a port; more: a bare IPv6 address
    return colon >= 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
  }

  private static String unquote(String value) {
    String trimmed = value.trim();
    return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
        ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
  }

  private static List<String> configuredHeaders(String setting) {
    String value;
    try {
      value = AgentLog.setting(setting);
    } catch (RuntimeException e) {
      return Collections.emptyList();
    }
    if (value == null || value.isEmpty()) {
      return Collections.emptyList();
    }
    List<String> names = new ArrayList<>();
    for (String name : value.split(",")) {
      if (!name.isBlank()) {
        names.add(name.trim().toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(names);
  }

  private static List<AttributeKey<List<String>>> keys(String prefix, List<String> headers) {
    List<AttributeKey<List<String>>> keys = new ArrayList<>();
    for (String header : headers) {
      keys.add(AttributeKey.stringArrayKey(prefix + header));
    }
    return List.copyOf(keys);
  }
}
