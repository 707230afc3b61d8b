package dev.tracelight.bootstrap.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a SQL statement may say about itself on a span: its text with every literal replaced by {@code ?}, its first
 * operation, the tables it names and a low-cardinality summary ({@code SELECT users orders}). A small hand-written
 * tokenizer, not a SQL parser: it knows quoting ('...', E'...', "...", `...`, [...], $tag$...$tag$), comments (dropped,
 * since they may carry values), numbers and placeholders ({@code ?}, {@code :name}, {@code $1}, kept).
 */
public final class SqlStatement {
  static final int MAX_SUMMARY_LENGTH = 255;
  private static final int CACHE_SIZE = 512;
  private static final Map<String, SqlStatement> CACHE = new ConcurrentHashMap<>();
  private static final Set<String> TABLE_AFTER = Set.of("FROM", "JOIN", "INTO");
  private static final Set<String> DDL = Set.of("CREATE", "DROP", "ALTER", "TRUNCATE");
  private static final Set<String> DDL_OBJECTS = Set.of("TABLE", "INDEX", "VIEW", "SEQUENCE", "SCHEMA", "DATABASE");
  private static final Set<String> IF_NOT_EXISTS = Set.of("IF", "NOT", "EXISTS");
  private static final Set<String> DML = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT");
  private static final Set<String> END_OF_TABLE_LIST = Set.of("WHERE", "ON", "USING", "SET", "GROUP", "ORDER",
      "HAVING", "LIMIT", "VALUES", "UNION");
  private static final Set<String> NOT_A_TABLE = Set.of("SELECT", "LATERAL", "ONLY", "IF", "NOT", "EXISTS", "UNNEST",
      "DUAL");

  private final String queryText;
  private final String operationName;
  private final String collectionName;
  private final String summary;

  private SqlStatement(String queryText, String operationName, String collectionName, String summary) {
    this.queryText = queryText;
    this.operationName = operationName;
    this.collectionName = collectionName;
    this.summary = summary;
  }

  /** The statement's parts; the same text gives the same (cached) instance. Never throws. */
  public static SqlStatement of(String sql) {
    if (sql == null) {
      return new SqlStatement(null, null, null, null);
    }
    SqlStatement cached = CACHE.get(sql);
    if (cached != null) {
      return cached;
    }
    SqlStatement parsed = parse(sql);
    if (CACHE.size() >= CACHE_SIZE) {
      CACHE.clear(); // bounded: an application that builds SQL with literals would otherwise fill the heap
    }
    CACHE.put(sql, parsed);
    return parsed;
  }

  /** The text with literals replaced by {@code ?} and comments removed; parameterized text stays as it was. */
  public String queryText() {
    return queryText;
  }

  /** The first operation, upper case ({@code SELECT}, {@code CREATE TABLE}, {@code CALL}), or null. */
  public String operationName() {
    return operationName;
  }

  /** The table, when the statement names exactly one; otherwise null. */
  public String collectionName() {
    return collectionName;
  }

  /** {@code <operation> <table>...} per the conventions' db.query.summary, or null when nothing was recognized. */
  public String summary() {
    return summary;
  }

  private static SqlStatement parse(String sql) {
    List<Token> tokens = new ArrayList<>();
    String text = sanitize(sql, tokens);
    return summarize(text, tokens);
  }

  /** Rewrites {@code sql} without literals or comments and collects its words and punctuation into {@code tokens}. */
  static String sanitize(String sql, List<Token> tokens) {
    StringBuilder out = new StringBuilder(sql.length());
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        i = skipLineComment(sql, i);
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        if (out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1))) {
          out.append(' '); // a/**/b must not become ab
        }
      } else if (c == '\'') {
        i = skipQuoted(sql, i, '\'', false);
        literal(out, tokens);
      } else if (c == '$' && i + 1 < n && isDollarTagStart(sql, i)) {
        int close = sql.indexOf('$', i + 1);
        String tag = sql.substring(i, close + 1);
        int end = sql.indexOf(tag, close + 1);
        i = end < 0 ? n : end + tag.length();
        literal(out, tokens);
      } else if (c == '"' || c == '`' || c == '[') {
        int end = skipQuoted(sql, i, c == '[' ? ']' : c, false);
        String quoted = sql.substring(i, end);
        out.append(quoted);
        tokens.add(Token.word(unquote(quoted), true));
        i = end;
      } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)))) {
        i = skipNumber(sql, i);
        literal(out, tokens);
      } else if (Character.isLetter(c) || c == '_') {
        int end = i + 1;
        while (end < n && isWordPart(sql.charAt(end))) {
          end++;
        }
        String word = sql.substring(i, end);
        if (end < n && sql.charAt(end) == '\'' && isStringPrefix(word)) {
          i = skipQuoted(sql, end, '\'', word.equalsIgnoreCase("E"));
          literal(out, tokens);
        } else {
          out.append(word);
          tokens.add(Token.word(word, false));
          i = end;
        }
      } else if ((c == ':' || c == '$' || c == '@') && i + 1 < n && isWordPart(sql.charAt(i + 1))
          && !(c == ':' && i > 0 && sql.charAt(i - 1) == ':')) {
        int end = i + 1; // a placeholder (:name, $1, @p): not a value, kept
        while (end < n && isWordPart(sql.charAt(end))) {
          end++;
        }
        out.append(sql, i, end);
        tokens.add(Token.punctuation('?'));
        i = end;
      } else {
        out.append(c);
        if (!Character.isWhitespace(c)) {
          tokens.add(Token.punctuation(c));
        }
        i++;
      }
    }
    return collapseInLists(out.toString().strip(), tokens); // strip, not trim: trim drops the NUL markers
  }

  private static SqlStatement summarize(String text, List<Token> tokens) {
    List<String> parts = new ArrayList<>();
    List<String> tables = new ArrayList<>();
    String operation = null;
    String pendingOperation = null; // an operation is written to the summary once its first table is known
    boolean expectTable = false;
    boolean tableList = false;
    int start = 0;
    if (!tokens.isEmpty() && tokens.get(0).is('{')) {
      start = 1; // JDBC escape: {call proc(?)} / {? = call proc(?)}
    }
    for (int i = start; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      String upper = token.upper();
      if (operation == null) {
        if (token.is('?') || token.is('=')) {
          continue;
        }
        if (upper == null) {
          break;
        }
        if (upper.equals("WITH")) {
          i = skipCommonTableExpressions(tokens, i + 1) - 1;
          continue;
        }
        operation = upper;
        int object = DDL.contains(upper) ? objectKind(tokens, i + 1) : -1;
        if (object > 0) {
          operation = upper + " " + tokens.get(object).upper(); // CREATE TABLE, DROP INDEX
        }
        if (upper.equals("CALL") || upper.equals("EXEC") || upper.equals("EXECUTE")) {
          String procedure = i + 1 < tokens.size() ? tokens.get(i + 1).name() : null;
          parts.add(operation);
          if (procedure != null) {
            parts.add(procedure);
          }
          break;
        }
        pendingOperation = operation;
        expectTable = upper.equals("UPDATE") || object > 0;
        if (object > 0) {
          i = skipIfNotExists(tokens, object + 1) - 1;
        }
        continue;
      }
      if ("SELECT".equals(upper) && !upper.equals(operation)) {
        pendingOperation = upper; // INSERT ... SELECT ... FROM other
        tableList = false;
        continue;
      }
      if (expectTable) {
        if (token.word != null && !isOneOf(upper, NOT_A_TABLE)) {
          StringBuilder name = new StringBuilder(token.name());
          while (i + 2 < tokens.size() && tokens.get(i + 1).is('.') && tokens.get(i + 2).word != null) {
            name.append('.').append(tokens.get(i + 2).name()); // schema.table
            i += 2;
          }
          if (pendingOperation != null) {
            parts.add(pendingOperation);
            pendingOperation = null;
          }
          parts.add(name.toString());
          tables.add(name.toString());
          expectTable = false;
          continue;
        }
        expectTable = isOneOf(upper, NOT_A_TABLE) && !upper.equals("SELECT");
        if ("SELECT".equals(upper)) {
          pendingOperation = "SELECT"; // FROM (SELECT ...)
        }
        continue;
      }
      if (isOneOf(upper, TABLE_AFTER)) {
        expectTable = true;
        tableList = upper.equals("FROM");
      } else if (tableList && token.is(',')) {
        expectTable = true; // FROM a, b
      } else if (isOneOf(upper, END_OF_TABLE_LIST)) {
        tableList = false;
      }
    }
    if (operation == null) {
      return new SqlStatement(text, null, null, null);
    }
    if (pendingOperation != null && parts.isEmpty()) {
      parts.add(pendingOperation);
    }
    String summary = String.join(" ", parts);
    if (summary.length() > MAX_SUMMARY_LENGTH) {
      int cut = summary.lastIndexOf(' ', MAX_SUMMARY_LENGTH);
      summary = summary.substring(0, cut > 0 ? cut : MAX_SUMMARY_LENGTH);
    }
    String collection = tables.size() == 1 ? tables.get(0) : null;
    return new SqlStatement(text, operation, collection, summary);
  }

  /** {@code WITH a AS (...), b AS (...) SELECT}: returns the index of the main statement's first token. */
  private static int skipCommonTableExpressions(List<Token> tokens, int i) {
    int depth = 0;
    for (; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (token.is('(')) {
        depth++;
      } else if (token.is(')')) {
        depth--;
      } else if (depth == 0 && isOneOf(token.upper(), DML)) {
        return i;
      }
    }
    return i;
  }

  /** The index of TABLE/INDEX/... within the next few words (CREATE UNIQUE INDEX, CREATE TEMPORARY TABLE), or -1. */
  private static int objectKind(List<Token> tokens, int from) {
    for (int i = from; i < tokens.size() && i < from + 3; i++) {
      String upper = tokens.get(i).upper();
      if (upper == null) {
        return -1;
      }
      if (isOneOf(upper, DDL_OBJECTS)) {
        return i;
      }
    }
    return -1;
  }

  private static int skipIfNotExists(List<Token> tokens, int i) {
    while (i < tokens.size() && isOneOf(tokens.get(i).upper(), IF_NOT_EXISTS)) {
      i++;
    }
    return i;
  }

  /** {@code IN (?, ?, ?)} where every element was a literal becomes {@code IN (?)}: one query shape per list size. */
  private static String collapseInLists(String text, List<Token> tokens) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      int in = indexOfInList(text, i);
      if (in < 0) {
        out.append(text, i, n);
        break;
      }
      int open = text.indexOf('(', in + 2);
      int close = text.indexOf(')', open);
      String inner = close < 0 ? "" : text.substring(open + 1, close);
      if (close > 0 && inner.contains("\u0000")) {
        out.append(text, i, open).append("(?)");
        i = close + 1;
      } else {
        out.append(text, i, open + 1);
        i = open + 1;
      }
    }
    return out.toString().replace("\u0000", "?");
  }

  /** Where the next {@code IN (} whose list holds only literals starts, or -1. */
  private static int indexOfInList(String text, int from) {
    int n = text.length();
    for (int i = from; i + 1 < n; i++) {
      char c = text.charAt(i);
      if ((c == 'i' || c == 'I') && (text.charAt(i + 1) == 'n' || text.charAt(i + 1) == 'N')
          && (i == 0 || !isWordPart(text.charAt(i - 1)))) {
        int j = i + 2;
        while (j < n && Character.isWhitespace(text.charAt(j))) {
          j++;
        }
        if (j < n && text.charAt(j) == '(' && onlyLiterals(text, j + 1)) {
          return i;
        }
      }
    }
    return -1;
  }

  private static boolean onlyLiterals(String text, int i) {
    boolean any = false;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ')') {
        return any;
      }
      if (c == '\u0000') {
        any = true;
      } else if (c != ',' && c != '-' && c != '+' && !Character.isWhitespace(c)) {
        return false;
      }
    }
    return false;
  }

  /** Literals are written as NUL first so that IN lists of literals can be told from lists of placeholders. */
  private static void literal(StringBuilder out, List<Token> tokens) {
    out.append('\u0000');
    tokens.add(Token.punctuation('?'));
  }

  private static int skipLineComment(String sql, int i) {
    int end = sql.indexOf('\n', i);
    return end < 0 ? sql.length() : end;
  }

  /** Index after the closing quote; a doubled quote is an escaped one, and so is a backslash in E'...' strings. */
  private static int skipQuoted(String sql, int i, char close, boolean backslashEscapes) {
    int n = sql.length();
    for (int j = i + 1; j < n; j++) {
      char c = sql.charAt(j);
      if (backslashEscapes && c == '\\') {
        j++;
      } else if (c == close) {
        if (j + 1 < n && sql.charAt(j + 1) == close && close != ']') {
          j++;
        } else {
          return j + 1;
        }
      }
    }
    return n; // unterminated: the rest is the literal
  }

  /** {@code $$} or {@code $tag$} (a tag does not start with a digit: {@code $1} is a placeholder). */
  private static boolean isDollarTagStart(String sql, int i) {
    int j = i + 1;
    if (j < sql.length() && sql.charAt(j) == '$') {
      return true;
    }
    if (j >= sql.length() || !(Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
      return false;
    }
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < sql.length() && sql.charAt(j) == '$' && sql.indexOf(sql.substring(i, j + 1), j + 1) > 0;
  }

  private static int skipNumber(String sql, int i) {
    int n = sql.length();
    if (sql.charAt(i) == '0' && i + 1 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X')) {
      i += 2;
      while (i < n && Character.digit(sql.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < n && (isDigit(sql.charAt(i)) || sql.charAt(i) == '.' || sql.charAt(i) == '_')) {
      i++;
    }
    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < n && isDigit(sql.charAt(j))) {
        i = j;
        while (i < n && isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }

  private static boolean isStringPrefix(String word) {
    switch (word.toUpperCase(Locale.ROOT)) {
      case "E": // PostgreSQL escape string
      case "N": // national character string
      case "X": // hex string
      case "B": // bit string
      case "U": // U&'...' is caught by the & below; U'' alone is not SQL but harmless
        return true;
      default:
        return false;
    }
  }

  private static String unquote(String quoted) {
    return quoted.length() >= 2 ? quoted.substring(1, quoted.length() - 1) : quoted;
  }

  /** Set.of(...).contains(null) throws, and punctuation has no keyword. */
  private static boolean isOneOf(String keyword, Set<String> keywords) {
    return keyword != null && keywords.contains(keyword);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /** A word (identifier or keyword, possibly dotted later) or one punctuation character. */
  static final class Token {
    final String word;
    final char punctuation;
    final boolean quoted;

    private Token(String word, char punctuation, boolean quoted) {
      this.word = word;
      this.punctuation = punctuation;
      this.quoted = quoted;
    }

    static Token word(String word, boolean quoted) {
      return new Token(word, '\0', quoted);
    }

    static Token punctuation(char c) {
      return new Token(null, c, false);
    }

    boolean is(char c) {
      return word == null && punctuation == c;
    }

    /** The keyword in upper case; null for punctuation and quoted identifiers. */
    String upper() {
      return word == null || quoted ? null : word.toUpperCase(Locale.ROOT);
    }

    /** As a table name: the identifier as written (quoted ones without quotes). */
    String name() {
      return word;
    }
  }
}
