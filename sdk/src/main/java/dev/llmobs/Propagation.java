package dev.llmobs;

import dev.llmobs.internal.Ids;

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

  /**
   * Writes our context into {@code headers}. Another tracer's context already there (an APM tracer's
   * {@code x-datadog-trace-id} or {@code traceparent}) is kept: our {@code _dd.p.llmobs_*} entries are merged into its
   * {@code x-datadog-tags} and into the {@code dd} member of its {@code tracestate}, whose other vendors' members stay.
   */
  static void inject(SpanContext ctx, Map<String, String> headers) {
    long high = Long.parseUnsignedLong(ctx.traceId().substring(0, 16), 16);
    long low = Long.parseUnsignedLong(ctx.traceId().substring(16), 16);
    String traceDecimal = new BigInteger(ctx.traceId(), 16).toString();
    String spanHex = Ids.hex16(Long.parseUnsignedLong(ctx.spanId()));
    String sampled = Boolean.FALSE.equals(ctx.sampled) ? "0" : "1";
    String rate = Double.isNaN(ctx.sampleRate) ? null : Double.toString(ctx.sampleRate);

    boolean apm = header(headers, "x-datadog-trace-id") != null;
    if (!apm) {
      headers.put("x-datadog-trace-id", Long.toUnsignedString(low));
      headers.put("x-datadog-parent-id", ctx.spanId());
      headers.put("x-datadog-sampling-priority", "1");
    }
    StringBuilder ours = new StringBuilder(160);
    ours.append("_dd.p.llmobs_trace_id=").append(traceDecimal).append(",_dd.p.llmobs_parent_id=").append(ctx.spanId())
        .append(",_dd.p.llmobs_sd=").append(sampled);
    if (rate != null) ours.append(",_dd.p.llmobs_sr=").append(rate);
    appendOptional(ours, ",_dd.p.llmobs_ml_app=", ctx.mlApp(), MAX_TAGS_LENGTH);
    appendOptional(ours, ",_dd.p.llmobs_sid=", ctx.sessionId(), MAX_TAGS_LENGTH);
    String existingTags = header(headers, TAGS);
    StringBuilder tags = new StringBuilder(256);
    if (existingTags != null) { // keep every entry but ours
      for (String pair : existingTags.split(",")) {
        if (pair.isBlank() || pair.trim().startsWith("_dd.p.llmobs_")) continue;
        if (tags.length() > 0) tags.append(',');
        tags.append(pair.trim());
      }
    } else if (!apm) {
      tags.append("_dd.p.tid=").append(Ids.hex16(high));
    }
    if (tags.length() + 1 + ours.length() <= MAX_TAGS_LENGTH) {
      if (tags.length() > 0) tags.append(',');
      tags.append(ours);
    }
    put(headers, TAGS, tags.toString());

    String existingParent = header(headers, "traceparent");
    if (existingParent == null) headers.put("traceparent", "00-" + ctx.traceId() + "-" + spanHex + "-01");
    StringBuilder dd = new StringBuilder(128);
    String otherDd = null;
    StringBuilder others = new StringBuilder();
    String state = header(headers, "tracestate");
    if (state != null) {
      for (String member : state.split(",")) {
        String m = member.trim();
        if (m.isEmpty()) continue;
        if (m.startsWith("dd=")) otherDd = m.substring(3);
        else others.append(',').append(m);
      }
    }
    if (otherDd != null) { // another tracer's dd member: keep its entries, replace ours
      for (String entry : otherDd.split(";")) {
        if (entry.isEmpty() || entry.startsWith("t.llmobs_")) continue;
        dd.append(dd.length() == 0 ? "dd=" : ";").append(entry);
      }
    } else {
      dd.append("dd=s:1;p:").append(spanHex).append(";t.tid:").append(Ids.hex16(high));
    }
    dd.append(dd.length() == 0 ? "dd=" : ";").append("t.llmobs_trace_id:").append(traceDecimal)
        .append(";t.llmobs_parent_id:").append(ctx.spanId()).append(";t.llmobs_sd:").append(sampled);
    if (rate != null) dd.append(";t.llmobs_sr:").append(rate);
    appendOptional(dd, ";t.llmobs_ml_app:", stateValue(ctx.mlApp()), MAX_TRACESTATE_MEMBER);
    appendOptional(dd, ";t.llmobs_sid:", stateValue(ctx.sessionId()), MAX_TRACESTATE_MEMBER);
    put(headers, "tracestate", dd.append(others).toString()); // dd first: the member most recently updated leads
  }

  /** Replaces a header whatever the case of its existing name. */
  private static void put(Map<String, String> headers, String name, String value) {
    String existing = null;
    for (String k : headers.keySet()) if (k != null && k.equalsIgnoreCase(name)) existing = k;
    if (existing != null && !existing.equals(name)) headers.remove(existing);
    headers.put(name, value);
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
    String traceDec = null, parent = null, mlApp = null, sid = null, sd = null, sr = null;
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
          case "_dd.p.llmobs_sd": sd = v; break;
          case "_dd.p.llmobs_sr": sr = v; break;
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
              case "t.llmobs_sd": sd = v; break;
              case "t.llmobs_sr": sr = v; break;
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
      Boolean sampled = "1".equals(sd) ? Boolean.TRUE : "0".equals(sd) ? Boolean.FALSE : null;
      double rate = Double.NaN;
      if (sr != null) {
        try {
          double d = Double.parseDouble(sr);
          if (d >= 0 && d <= 1) rate = d;
        } catch (NumberFormatException ignored) {
          // the caller's rate is unknown; the decision, if any, still stands
        }
      }
      return new SpanContext(hex, parent, mlApp, sid, sampled, rate);
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
