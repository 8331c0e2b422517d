package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.ModelCall;
import java.util.List;
import java.util.Locale;

/**
 * All that one model family's InvokeModel format says, in one place: which model ids and request bodies are its, what
 * its requests, responses and stream chunks hold. Adding a family is one subclass and one entry in {@link Known#ALL}.
 * Converse needs none of this: its shape is the same for every model, so its calls take {@link #UNKNOWN} and the
 * families' classes load only with a function's first InvokeModel call.
 *
 * <p>Families are stateless singletons; {@link #request} and {@link #response} run under the record's lock.
 */
abstract class ModelFamily {
  static final ModelFamily UNKNOWN = new Unknown();

  /** The known families, in a holder of their own: loading this class (for {@link #UNKNOWN}) does not load them. */
  static final class Known {
    private Known() {}

    /** In order of precedence: the first that claims an id or a body wins (Titan embeddings before Titan text). */
    static final List<ModelFamily> ALL = List.of(new Anthropic(), new AmazonNova(), new AmazonTitanEmbed(),
        new AmazonTitanText(), new MetaLlama(), new CohereEmbed(), new CohereCommandR(), new CohereCommand(),
        new Mistral(), new Ai21());
  }

  /** A short name for tests and logs: {@code anthropic}, {@code amazon_nova}... */
  final String name;

  ModelFamily(String name) {
    this.name = name;
  }

  /** The family of a model id, or {@link #UNKNOWN} when the id is opaque (application profiles, provisioned models). */
  static ModelFamily of(String modelId) {
    String base = ModelId.baseModel(modelId);
    if (base == null) return UNKNOWN;
    String id = base.toLowerCase(Locale.ROOT);
    for (ModelFamily f : Known.ALL) if (f.ownsModel(id)) return f;
    return UNKNOWN;
  }

  /** The family whose request body this looks like, for an opaque model id. */
  static ModelFamily sniff(Object request) {
    for (ModelFamily f : Known.ALL) if (f.ownsBody(request)) return f;
    return UNKNOWN;
  }

  /** Whether a base model id, lower case ({@code anthropic.claude-v2}), is this family's. */
  abstract boolean ownsModel(String baseModelId);

  /** Whether an InvokeModel request body is recognisably this family's; families without a marker say no. */
  boolean ownsBody(Object request) {
    return false;
  }

  boolean isEmbedding() {
    return false;
  }

  /** The {@code type} of the tool calls a stream of this family assembles. */
  String toolCallType() {
    return "tool_use";
  }

  /** Reads a parsed InvokeModel request body: input, parameters, tools. */
  abstract void request(Object body, CallRecord r);

  /** Reads a parsed InvokeModel response body: output, stop reason, tokens. */
  abstract void response(Object body, CallRecord r);

  /**
   * Reads one InvokeModelWithResponseStream chunk (the model's own JSON, after Bedrock's invocation metrics were
   * taken) into the stream's output; false when the chunk is not in this family's shape.
   */
  abstract boolean chunk(Object chunk, FrameSink out);

  @Override public String toString() {
    return name;
  }

  /** An unknown family keeps the bodies as JSON text, cut to a bounded length, and reads a stream in any known shape. */
  static final class Unknown extends ModelFamily {
    Unknown() {
      super("unknown");
    }

    @Override boolean ownsModel(String id) {
      return false;
    }

    @Override void request(Object body, CallRecord r) {
      r.inputText = ModelCall.clip(new dev.llmobs.internal.json.JsonWriter(256).value(body).toString());
    }

    @Override void response(Object body, CallRecord r) {
      r.outputText = ModelCall.clip(new dev.llmobs.internal.json.JsonWriter(256).value(body).toString());
    }

    @Override boolean chunk(Object chunk, FrameSink out) {
      for (ModelFamily f : Known.ALL) if (f.chunk(chunk, out)) return true;
      return false;
    }
  }
}
