package dev.tracelight.bootstrap.apachehttpclient;

import java.net.URI;
import java.net.URISyntaxException;

/** Plain-value helpers for Apache HttpClient 4 and 5 advice, which cannot share library types. */
public final class ApacheHttpClientRequests {
  private ApacheHttpClientRequests() {}

  /**
   * The request's full URI: its request URI as is when absolute, else resolved against the target host
   * ({@code http://host:port}) the client was given separately, else against the request's own scheme and authority
   * (HttpClient 5 keeps them apart from the path). Null when nothing makes a valid URI.
   */
  public static URI uri(String target, String scheme, Object authority, String requestUri) {
    try {
      URI request = new URI(requestUri);
      String base = target;
      if (base == null && authority != null) {
        base = (scheme == null ? "http" : scheme) + "://" + authority;
      }
      if (request.isAbsolute() || base == null) {
        return request;
      }
      return new URI(base + (requestUri.startsWith("/") ? requestUri : "/" + requestUri));
    } catch (URISyntaxException | NullPointerException e) {
      return null;
    }
  }

  /** {@code HTTP/1.1} → {@code 1.1}, {@code HTTP/2.0} → {@code 2}, from the library's ProtocolVersion. */
  public static String protocolVersion(Object version) {
    if (version == null) {
      return null;
    }
    String text = version.toString();
    int slash = text.indexOf('/');
    String number = slash < 0 ? text : text.substring(slash + 1);
    return number.endsWith(".0") ? number.substring(0, number.length() - 2) : number;
  }
}
