package dev.llmobs.bedrock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RetrieveAndGenerateStream's events, as they pass to the caller: the answer's text, the citations with the
 * documents they cite, the guardrail's action. At the end they make the same workflow children as the answer of
 * RetrieveAndGenerate does; a stream cut halfway makes them from what arrived.
 */
final class GenerationSink extends EventStreamSink {
  private final StringBuilder text = new StringBuilder();
  private final List<Object> citations = new ArrayList<>();
  private String guardrail;
  private boolean assembled;

  GenerationSink(CallRecord record) {
    super(record);
  }

  @Override synchronized void event(String type, Object payload) {
    if ("output".equals(type)) {
      String t = dev.llmobs.integrations.internal.Json.str(payload, "text");
      if (t != null) text.append(t);
    } else if ("citation".equals(type) && payload != null) {
      citations.add(payload);
    } else if ("guardrail".equals(type)) {
      guardrail = dev.llmobs.integrations.internal.Json.str(payload, "action");
    }
  }

  @Override public synchronized void assemble(boolean cancelled) {
    if (assembled) return;
    assembled = true;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("output", Map.of("text", text.toString()));
    answer.put("citations", citations);
    if (guardrail != null) answer.put("guardrailAction", guardrail);
    KnowledgeBases.retrieveAndGenerateResponse(record, record.requestFields, answer);
    if (cancelled) record.meta("stream_cancelled", true);
  }
}
