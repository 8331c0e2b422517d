package dev.llmobs;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;

/**
 * Carries an LLM Observability trace across a service boundary in Datadog's headers: the LLM Obs propagation tags
 * ({@code _dd.p.llmobs_*}) in {@code x-datadog-tags} and in the {@code dd} member of W3C {@code tracestate},
 * next to the ordinary APM headers. See section 8 of the wire-format document.
 */
final class Propagation {
  static final String TAGS = "x-datadog-tags";
  static final int MAX_TAGS_LENGTH = 512;
  static final int MAX_TRACESTATE_MEMBER = 256;

  private Propagation() {}

  static void inject(SpanContext ctx, Map<String, String> headers) {
    long high = Long.parseUnsignedLong(ctx.traceId().substring(0, 16), 16);
    long low = Long.parseUnsignedLong(ctx.traceId().substring(16), 16);
    String traceDecimal = new BigInteger(ctx.traceId(), 16).toString();
    String spanHex = String.format("%016x", Long.parseUnsignedLong(ctx.spanId()));

    headers.put("x-datadog-trace-id", Long.toUnsignedString(low));
    headers.put("x-datadog-parent-id", ctx.spanId());
    headers.put("x-datadog-sampling-priority", "1");
    StringBuilder tags = new StringBuilder(160);
    tags.append("_dd.p.tid=").append(String.format("%016x", high))
        .append(",_dd.p.llmobs_trace_id=").append(traceDecimal)
        .append(",_dd.p.llmobs_parent_id=").append(ctx.spanId());
    appendOptional(tags, ",_dd.p.llmobs_ml_app=", ctx.mlApp(), MAX_TAGS_LENGTH);
    appendOptional(tags, ",_dd.p.llmobs_sid=", ctx.sessionId(), MAX_TAGS_LENGTH);
    headers.put(TAGS, tags.toString());

    headers.put("traceparent", "00-" + ctx.traceId() + "-" + spanHex + "-01");
    StringBuilder dd = new StringBuilder(128);
    dd.append("dd=s:1;p:").append(spanHex)
        .append(";t.tid:").append(String.format("%016x", high))
        .append(";t.llmobs_trace_id:").append(traceDecimal)
        .append(";t.llmobs_parent_id:").append(ctx.spanId());
    appendOptional(dd, ";t.llmobs_ml_app:", stateValue(ctx.mlApp()), MAX_TRACESTATE_MEMBER);
    appendOptional(dd, ";t.llmobs_sid:", stateValue(ctx.sessionId()), MAX_TRACESTATE_MEMBER);
    headers.put("tracestate", dd.toString());
  }

  /** Adds an optional pair only if the header stays within its cap: an overflowing header gets dropped downstream. */
  private static void appendOptional(StringBuilder b, String prefix, String value, int cap) {
    if (value == null || value.isEmpty()) return;
    if (value.indexOf(',') >= 0 || value.indexOf('=') >= 0 && prefix.startsWith(",")) return;
    if (b.length() + prefix.length() + value.length() <= cap) b.append(prefix).append(value);
  }

  /** tracestate values may not hold {@code , ; = ~} or non-printable characters. */
  private static String stateValue(String v) {
    if (v == null) return null;
    StringBuilder b = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      b.append(c == '=' ? '~' : (c < 0x20 || c > 0x7e || c == ',' || c == ';' || c == '~') ? '_' : c);
    }
    return b.toString();
  }

  /** The LLM Obs parent in {@code headers}, or null when they carry none. Header names are case-insensitive. */
  static SpanContext extract(Map<String, String> headers) {
    String traceDec = null, parent = null, mlApp = null, sid = null;
    String tags = header(headers, TAGS);
    if (tags != null) {
      for (String pair : tags.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) continue;
        String k = pair.substring(0, eq).trim(), v = pair.substring(eq + 1).trim();
        switch (k) {
          case "_dd.p.llmobs_trace_id": traceDec = v; break;
          case "_dd.p.llmobs_parent_id": parent = v; break;
          case "_dd.p.llmobs_ml_app": mlApp = v; break;
          case "_dd.p.llmobs_sid": sid = v; break;
          default:
        }
      }
    }
    if (traceDec == null || parent == null) {
      String state = header(headers, "tracestate");
      if (state != null) {
        for (String member : state.split(",")) {
          member = member.trim();
          if (!member.startsWith("dd=")) continue;
          for (String entry : member.substring(3).split(";")) {
            int colon = entry.indexOf(':');
            if (colon <= 0) continue;
            String k = entry.substring(0, colon), v = entry.substring(colon + 1).replace('~', '=');
            switch (k) {
              case "t.llmobs_trace_id": traceDec = v; break;
              case "t.llmobs_parent_id": parent = v; break;
              case "t.llmobs_ml_app": mlApp = v; break;
              case "t.llmobs_sid": sid = v; break;
              default:
            }
          }
        }
      }
    }
    if (traceDec == null || parent == null) return null;
    try {
      BigInteger t = new BigInteger(traceDec);
      if (t.signum() <= 0 || t.bitLength() > 128) return null;
      Long.parseUnsignedLong(parent);
      String hex = t.toString(16);
      hex = "0".repeat(32 - hex.length()) + hex;
      return new SpanContext(hex, parent, mlApp, sid);
    } catch (NumberFormatException e) {
      Usage.rejected("extract", "malformed LLM Observability headers ignored: trace " + traceDec + ", parent " + parent);
      return null;
    }
  }

  private static String header(Map<String, String> headers, String name) {
    String v = headers.get(name);
    if (v != null) return v;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)) return e.getValue();
    }
    return null;
  }
}
