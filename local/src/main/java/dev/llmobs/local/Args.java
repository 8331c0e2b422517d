package dev.llmobs.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options: {@code --name value} pairs (repeatable ones kept in order) and positional arguments. */
final class Args {
  /** A usage mistake: one line for the user, exit status 2. */
  static final class Usage extends Exception {
    Usage(String message) {
      super(message);
    }
  }

  final Map<String, List<String>> options = new LinkedHashMap<>();
  final List<String> positional = new ArrayList<>();

  static Args parse(String[] argv, int from, List<String> known, List<String> flags) throws Usage {
    Args a = new Args();
    for (int i = from; i < argv.length; i++) {
      String arg = argv[i];
      if (!arg.startsWith("--")) {
        a.positional.add(arg);
        continue;
      }
      String name = arg.substring(2), value = null;
      int eq = name.indexOf('=');
      if (eq >= 0 && !name.startsWith("env")) { // --port=8126; but --env K=V keeps its own '='
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        a.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
        continue;
      }
      if (!known.contains(name)) throw new Usage("unknown option --" + name);
      if (value == null) {
        if (i + 1 >= argv.length) throw new Usage("--" + name + " needs a value");
        value = argv[++i];
      }
      a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return a;
  }

  String get(String name, String dflt) {
    List<String> v = options.get(name);
    return v == null ? dflt : v.get(v.size() - 1);
  }

  List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  int integer(String name, int dflt, int min, int max) throws Usage {
    String v = get(name, null);
    if (v == null) return dflt;
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) throw new Usage("--" + name + " must be between " + min + " and " + max + ", not " + v);
      return n;
    } catch (NumberFormatException e) {
      throw new Usage("--" + name + " must be a whole number, not " + v);
    }
  }
}
