package dev.llmobs;

/** The one check of a user's tag key, for tags set while recording and tags a span processor sets on a frozen span. */
final class TagKeys {
  private TagKeys() {}

  /**
   * A user's tag key as it can go on the wire, or null when it cannot (reported): the one check for tags set while
   * recording and tags a span processor sets on the frozen span.
   */
  static String check(String key, String spanName) {
    if (key == null || key.isEmpty()) {
      Usage.rejected("null-key", "tag with a null or empty key ignored on span '" + spanName + "'");
      return null;
    }
    if (dev.llmobs.internal.Config.RESERVED_TAGS.contains(key)) { // the SDK sets these: a user value would duplicate them
      Usage.rejected("reserved-tag", "tag '" + key + "' is reserved: the SDK's own value is sent (ml_app, session_id"
          + " and service have their own setters or settings); ignored on span '" + spanName + "'");
      return null;
    }
    if (key.indexOf(':') >= 0) {
      String clean = key.replace(':', '_');
      Usage.rejected("tag-colon", "tag key '" + key + "' contains ':', which splits key from value on the wire; sent as '"
          + clean + "'");
      return clean;
    }
    return key;
  }
}
