package dev.llmobs;

import java.util.Arrays;

/**
 * A recording span's tags and metrics, in small parallel arrays rather than maps: setting one allocates nothing
 * until the arrays grow, and freezing hands the arrays over as they are. Not thread-safe: guarded by its span.
 */
final class TagsAndMetrics {
  String[] tags; // key, value, key, value...
  int tagCount;
  String[] metricKeys;
  double[] metricValues;
  int metricCount;

  void tag(String key, String value) {
    for (int i = 0; i < tagCount; i++) {
      if (tags[2 * i].equals(key)) {
        tags[2 * i + 1] = value;
        return;
      }
    }
    if (tags == null) tags = new String[8];
    else if (2 * tagCount == tags.length) tags = Arrays.copyOf(tags, tags.length * 2);
    tags[2 * tagCount] = key;
    tags[2 * tagCount++ + 1] = value;
  }

  void metric(String key, double value) {
    for (int i = 0; i < metricCount; i++) {
      if (metricKeys[i].equals(key)) {
        metricValues[i] = value;
        return;
      }
    }
    if (metricKeys == null) {
      metricKeys = new String[4];
      metricValues = new double[4];
    } else if (metricCount == metricKeys.length) {
      metricKeys = Arrays.copyOf(metricKeys, metricCount * 2);
      metricValues = Arrays.copyOf(metricValues, metricCount * 2);
    }
    metricKeys[metricCount] = key;
    metricValues[metricCount++] = value;
  }

  /** More tokens than any model call has: a unit mix-up or a corrupted count. */
  static final double MAX_TOKENS = 1e9;

  /** Whether a metric may be recorded; what may not is refused with one line (null key, NaN, absurd tokens). */
  static boolean acceptable(String key, double value, String spanName) {
    if (key == null) {
      Usage.rejected("null-key", "metric with a null key ignored on span '" + spanName + "'");
      return false;
    }
    if (!Double.isFinite(value)) {
      Usage.rejected("nan-metric", "metric '" + key + "' = " + value + " on span '" + spanName
          + "' ignored: not a finite number");
      return false;
    }
    if (key.endsWith("_tokens") && (value < 0 || value > MAX_TOKENS)) {
      Usage.rejected("bad-tokens", "token count '" + key + "' = " + value + " on span '" + spanName
          + "' refused: negative or beyond " + (long) MAX_TOKENS);
      return false;
    }
    return true;
  }

  static boolean sane(long tokens) {
    return tokens >= 0 && tokens <= MAX_TOKENS;
  }
}
