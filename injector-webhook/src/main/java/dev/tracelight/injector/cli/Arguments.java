package dev.tracelight.injector.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** "--name value" and "--flag" options of one command; anything unknown is a usage error naming the option. */
final class Arguments {

  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();

  private Arguments() {
  }

  /**
   * @param withValue option names that take a value (aliases as "-f|--file")
   * @param withoutValue option names that are flags
   */
  static Arguments parse(String command, List<String> args, List<String> withValue, List<String> withoutValue) {
    Arguments parsed = new Arguments();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      String name = canonical(arg, withValue);
      if (name != null) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(command + ": " + arg + " needs a value");
          }
          value = args.get(++i);
        }
        parsed.values.put(name, value);
      } else if (canonical(arg, withoutValue) != null && value == null) {
        parsed.flags.add(canonical(arg, withoutValue));
      } else {
        throw new UsageException(command + ": unknown option " + arg);
      }
    }
    return parsed;
  }

  Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  /** The long name of an option ("--file" for "-f" in "-f|--file"), or null when not one of these. */
  private static String canonical(String arg, List<String> options) {
    for (String option : options) {
      for (String alias : option.split("\\|")) {
        if (alias.equals(arg)) {
          String[] aliases = option.split("\\|");
          return aliases[aliases.length - 1];
        }
      }
    }
    return null;
  }

  /** A command line that cannot be followed; the message says what to change. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
