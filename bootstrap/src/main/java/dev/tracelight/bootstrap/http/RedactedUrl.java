package dev.tracelight.bootstrap.http;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code url.full} and {@code url.query} as the semantic conventions want them: user info replaced by
 * {@code REDACTED:REDACTED} and the values of well-known signature query parameters replaced by {@code REDACTED}.
 */
public final class RedactedUrl {
  static final String REDACTED = "REDACTED";
  private static final Set<String> SENSITIVE_QUERY_KEYS =
      new HashSet<>(Arrays.asList("awsaccesskeyid", "signature", "sig", "x-goog-signature"));

  private RedactedUrl() {}

  public static String of(String url) {
    if (url == null) {
      return null;
    }
    String withoutUserInfo = redactUserInfo(url);
    int query = withoutUserInfo.indexOf('?');
    if (query < 0) {
      return withoutUserInfo;
    }
    int fragment = withoutUserInfo.indexOf('#', query);
    String end = fragment < 0 ? "" : withoutUserInfo.substring(fragment);
    String params = withoutUserInfo.substring(query + 1, fragment < 0 ? withoutUserInfo.length() : fragment);
    return withoutUserInfo.substring(0, query + 1) + redactQuery(params) + end;
  }

  /** A raw query string (without {@code ?}) with the values of signature parameters replaced. */
  public static String query(String rawQuery) {
    return rawQuery == null ? null : redactQuery(rawQuery);
  }

  private static String redactUserInfo(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int authorityStart = scheme + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    int at = url.lastIndexOf('@', authorityEnd - 1);
    if (at < authorityStart) {
      return url;
    }
    return url.substring(0, authorityStart) + REDACTED + ":" + REDACTED + url.substring(at);
  }

  private static String redactQuery(String params) {
    StringJoiner out = new StringJoiner("&");
    for (String param : params.split("&", -1)) {
      int eq = param.indexOf('=');
      String key = eq < 0 ? param : param.substring(0, eq);
      out.add(eq >= 0 && SENSITIVE_QUERY_KEYS.contains(key.toLowerCase(Locale.ROOT)) ? key + "=" + REDACTED : param);
    }
    return out.toString();
  }
}
