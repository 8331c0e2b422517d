package dev.llmobs.lambda;

import dev.llmobs.internal.Config;
import dev.llmobs.internal.Log;
import java.util.Locale;
import java.util.Map;

/**
 * The wrapper's settings and the function's facts, read once from environment variables with the SDK's own parser
 * ({@link Config}), so that a value means the same to both. Immutable.
 */
final class LambdaSettings {
  final String rootSpanName; // null = the function name
  final String functionName, functionVersion, region, runtime, initType;
  /** The JVM may be snapshotted (SnapStart): only then are CRaC hooks worth registering. */
  final boolean snapshotting;
  final long flushCapMillis, flushMarginMillis, flushMinMillis, streamWaitMillis;
  final SessionSource sessionSource; // null = none
  final String userHandler; // for the redirect handler

  LambdaSettings(Map<String, String> env) {
    rootSpanName = Config.trimToNull(env.get("LLMOBS_ROOT_SPAN_NAME"));
    functionName = Config.trimToNull(env.get("AWS_LAMBDA_FUNCTION_NAME"));
    functionVersion = Config.trimToNull(env.get("AWS_LAMBDA_FUNCTION_VERSION"));
    region = Config.trimToNull(env.get("AWS_REGION"));
    runtime = Config.trimToNull(env.get("AWS_EXECUTION_ENV"));
    String init = Config.trimToNull(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"));
    initType = init == null ? "on-demand" : init;
    snapshotting = "snap-start".equals(initType) || Config.trimToNull(env.get("AWS_LAMBDA_MICROVM_IMAGE_ARN")) != null;
    flushCapMillis = Config.flushTimeoutMillis(env);
    flushMarginMillis = Math.max(0, Config.longValue(env, "LLMOBS_FLUSH_MARGIN_MS", 100));
    flushMinMillis = Math.max(0, Config.longValue(env, "LLMOBS_FLUSH_MIN_MS", 10));
    streamWaitMillis = Math.max(0, Config.longValue(env, "LLMOBS_STREAM_WAIT_MS", 200));
    sessionSource = SessionSource.parse(Config.trimToNull(env.get("LLMOBS_SESSION_ID_FROM")));
    String h = Config.trimToNull(env.get("DD_LAMBDA_HANDLER"));
    userHandler = h != null ? h : Config.trimToNull(env.get("LLMOBS_LAMBDA_HANDLER"));
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
      Log.warn("LLMOBS_SESSION_ID_FROM=" + spec
          + " is not header:<name>, query:<name> or json:<dot.path>; no session id will be read");
      return null;
    }
  }
}
