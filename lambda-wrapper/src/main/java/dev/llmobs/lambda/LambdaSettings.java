package dev.llmobs.lambda;

import java.util.Locale;
import java.util.Map;

/** The wrapper's settings and the function's facts, read once from environment variables. Immutable. */
final class LambdaSettings {
  final String rootSpanName; // null = the function name
  final String functionName, functionVersion, region, runtime, initType;
  final long flushCapMillis, flushMarginMillis, flushMinMillis, streamWaitMillis;
  final SessionSource sessionSource; // null = none
  final String userHandler; // for the redirect handler

  LambdaSettings(Map<String, String> env) {
    rootSpanName = blankToNull(env.get("LLMOBS_ROOT_SPAN_NAME"));
    functionName = blankToNull(env.get("AWS_LAMBDA_FUNCTION_NAME"));
    functionVersion = blankToNull(env.get("AWS_LAMBDA_FUNCTION_VERSION"));
    region = blankToNull(env.get("AWS_REGION"));
    runtime = blankToNull(env.get("AWS_EXECUTION_ENV"));
    String init = blankToNull(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"));
    initType = init == null ? "on-demand" : init;
    flushCapMillis = longOr(env, "LLMOBS_FLUSH_TIMEOUT_MS", 2000);
    flushMarginMillis = longOr(env, "LLMOBS_FLUSH_MARGIN_MS", 100);
    flushMinMillis = longOr(env, "LLMOBS_FLUSH_MIN_MS", 10);
    streamWaitMillis = longOr(env, "LLMOBS_STREAM_WAIT_MS", 200);
    sessionSource = SessionSource.parse(blankToNull(env.get("LLMOBS_SESSION_ID_FROM")));
    String h = blankToNull(env.get("DD_LAMBDA_HANDLER"));
    userHandler = h != null ? h : blankToNull(env.get("LLMOBS_LAMBDA_HANDLER"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static long longOr(Map<String, String> env, String key, long dflt) {
    String v = blankToNull(env.get(key));
    if (v == null) return dflt;
    try {
      return Math.max(0, Long.parseLong(v));
    } catch (NumberFormatException e) {
      dev.llmobs.internal.Log.warn(key + "=" + v + " is not a whole number; using " + dflt);
      return dflt;
    }
  }

  /** Where in the event the session id is: {@code header:<name>}, {@code query:<name>} or {@code json:<dot.path>}. */
  static final class SessionSource {
    enum Kind { HEADER, QUERY, JSON }

    final Kind kind;
    final String name;
    final String[] path;

    private SessionSource(Kind kind, String name) {
      this.kind = kind;
      this.name = name;
      this.path = name.split("\\.");
    }

    static SessionSource parse(String spec) {
      if (spec == null) return null;
      int colon = spec.indexOf(':');
      String kind = colon < 0 ? "" : spec.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String name = colon < 0 ? "" : spec.substring(colon + 1).trim();
      if (!name.isEmpty()) {
        switch (kind) {
          case "header": return new SessionSource(Kind.HEADER, name);
          case "query": return new SessionSource(Kind.QUERY, name);
          case "json": return new SessionSource(Kind.JSON, name);
          default:
        }
      }
      dev.llmobs.internal.Log.warn("LLMOBS_SESSION_ID_FROM=" + spec
          + " is not header:<name>, query:<name> or json:<dot.path>; no session id will be read");
      return null;
    }
  }
}
