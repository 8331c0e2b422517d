package dev.llmobs.openai;

import dev.llmobs.Document;
import dev.llmobs.SpanKind;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.TappedCall;
import java.util.Base64;
import java.util.List;

/** Embeddings: the inputs as documents, the output as Datadog writes it ({@code [n embedding(s) returned with size d]}). */
final class Embeddings extends OpenAIProtocol.OpenAIOperation {
  Embeddings() {
    super("createEmbedding", SpanKind.EMBEDDING);
  }

  @Override public void request(Object req, TappedCall call) {
    OpenAIJson.model(req, call);
    Object input = Json.raw(req, "input");
    if (input instanceof String) call.inputDocuments.add(Document.of((String) input));
    else if (input instanceof List) {
      List<?> l = (List<?>) input;
      if (!l.isEmpty() && l.get(0) instanceof Number) call.inputDocuments.add(Document.of("[" + l.size() + " tokens]"));
      else for (Object o : l) call.inputDocuments.add(Document.of(o instanceof String ? (String) o : o instanceof List ? "[" + ((List<?>) o).size() + " tokens]" : String.valueOf(o)));
    }
    String format = Json.str(req, "encoding_format");
    call.meta("encoding_format", format == null ? "float" : format);
    call.meta("dimensions", Json.num(req, "dimensions"));
  }

  @Override public void response(Object res, TappedCall call) {
    call.responseModel = Json.str(res, "model");
    List<?> data = Json.list(res, "data");
    int n = data == null ? 0 : data.size();
    int size = n == 0 ? -1 : size(Json.raw(data.get(0), "embedding"));
    call.outputText = size < 0 ? "[" + n + " embedding(s) returned]" : "[" + n + " embedding(s) returned with size " + size + "]";
    OpenAIJson.usage(Json.obj(res, "usage"), call);
    if (call.inputTokens != null && call.outputTokens == null) call.outputTokens = 0L;
  }

  /** The size of a vector sent as numbers or as base64 of little-endian floats (the SDK asks for base64). */
  private static int size(Object embedding) {
    if (embedding instanceof List) return ((List<?>) embedding).size();
    if (embedding instanceof String) {
      try {
        return Base64.getDecoder().decode((String) embedding).length / 4;
      } catch (IllegalArgumentException e) {
        return -1;
      }
    }
    return -1;
  }

  @Override public void event(String name, Object data, TappedCall call) {}
}
