package dev.llmobs.bedrock;

import java.util.Locale;

/**
 * What a Bedrock {@code modelId} names: its base model and vendor. Accepts base ids
 * ({@code anthropic.claude-3-5-haiku-20241022-v1:0}), cross-region profiles ({@code us.anthropic...}), and ARNs
 * (foundation model, inference profile, custom model); application-profile and provisioned-model ARNs are opaque.
 * The family that parses its bodies is {@link ModelFamily#of}.
 */
final class ModelId {
  private static final String[] GEO_PREFIXES = {"us.", "eu.", "apac.", "us-gov.", "jp.", "au.", "ca.", "global."};

  private ModelId() {}

  /**
   * The base model a model id names, without geography prefix or ARN, e.g. {@code anthropic.claude-3-5-haiku-20241022-v1:0}
   * for {@code us.anthropic.claude-3-5-haiku-20241022-v1:0}; null when the id is opaque.
   */
  static String baseModel(String modelId) {
    if (modelId == null) return null;
    String id = modelId;
    if (id.startsWith("arn:")) {
      int slash = id.indexOf('/');
      if (slash < 0) return null;
      String type = id.substring(id.lastIndexOf(':', slash) + 1, slash);
      if (!type.equals("foundation-model") && !type.equals("inference-profile") && !type.equals("custom-model")) return null;
      id = id.substring(slash + 1);
      int inner = id.indexOf('/');
      if (inner > 0) id = id.substring(0, inner);
    }
    for (String geo : GEO_PREFIXES) {
      if (id.toLowerCase(Locale.ROOT).startsWith(geo)) return id.substring(geo.length());
    }
    return id.indexOf('.') > 0 ? id : null;
  }

  /** The model's vendor, as Bedrock ids spell it ({@code anthropic}, {@code amazon}, {@code meta}...), or null. */
  static String vendor(String modelId) {
    return vendorOf(baseModel(modelId));
  }

  private static String vendorOf(String base) {
    return base == null ? null : base.substring(0, base.indexOf('.')).toLowerCase(Locale.ROOT);
  }

  /** What one model id says, read once for the last id asked (a function calls one model, or two). */
  static final class Facts {
    private static volatile Facts last;
    final String id, base, vendor;
    private volatile ModelFamily family; // looked up on first ask: Converse never asks

    private Facts(String id) {
      this.id = id;
      base = baseModel(id);
      vendor = vendorOf(base);
    }

    /** The family that reads InvokeModel bodies for this id (the same answer however many threads ask at once). */
    ModelFamily family() {
      ModelFamily f = family;
      if (f == null) family = f = ModelFamily.of(id);
      return f;
    }

    static Facts of(String id) {
      Facts f = last;
      if (f == null || !java.util.Objects.equals(f.id, id)) last = f = new Facts(id);
      return f;
    }
  }
}
