package dev.llmobs.bedrock;

import dev.llmobs.Document;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bedrock Knowledge Bases, from Bedrock Agent Runtime: {@code Retrieve} is a {@code retrieval} span (the query in, the
 * chunks out as documents with their scores and sources); {@code RetrieveAndGenerate} is a {@code workflow} whose
 * retrieval and generation, which the service runs and reports in one answer, become its two children. Requests and
 * responses are read as maps of the service's wire names ({@link Pojos}): no Agent Runtime class is needed here.
 */
final class KnowledgeBases {
  private KnowledgeBases() {}

  static void retrieveRequest(CallRecord r, Map<String, Object> req) {
    synchronized (r) {
      r.inputText = ModelCall.clip(Json.str(Json.obj(req, "retrievalQuery"), "text"));
      r.meta("knowledge_base_id", Json.str(req, "knowledgeBaseId"));
      Map<String, Object> vector = Json.obj(Json.obj(req, "retrievalConfiguration"), "vectorSearchConfiguration");
      r.meta("number_of_results", Json.num(vector, "numberOfResults"));
      r.meta("search_type", Json.str(vector, "overrideSearchType"));
      r.meta("filter", Json.raw(vector, "filter"));
      r.meta("guardrail_configuration", Json.raw(req, "guardrailConfiguration"));
    }
  }

  static void retrieveResponse(CallRecord r, Map<String, Object> res) {
    List<Map<String, Object>> meta = new ArrayList<>();
    List<Document> docs = documents(Json.list(res, "retrievalResults"), meta);
    synchronized (r) {
      r.outputDocuments.addAll(docs);
      r.outputIsDocuments = true;
      if (!meta.isEmpty() && dev.llmobs.internal.TracerHandle.current().captureIo()) r.meta("document_metadata", meta);
      r.meta("guardrail_action", Json.str(res, "guardrailAction"));
    }
    Guardrails.tag(r.span, Json.str(res, "guardrailAction"));
  }

  static void retrieveAndGenerateRequest(CallRecord r, Map<String, Object> req) {
    Map<String, Object> config = Json.obj(req, "retrieveAndGenerateConfiguration");
    Map<String, Object> kb = Json.obj(config, "knowledgeBaseConfiguration");
    synchronized (r) {
      r.inputText = ModelCall.clip(Json.str(Json.obj(req, "input"), "text"));
      r.meta("type", Json.str(config, "type"));
      r.meta("knowledge_base_id", Json.str(kb, "knowledgeBaseId"));
      r.meta("model_arn", Json.str(kb, "modelArn"));
      r.meta("bedrock_session_id", Json.str(req, "sessionId"));
    }
  }

  /**
   * The service's answer, as the workflow's output and its two steps: the retrieval (the documents the answer cites)
   * and the generation (the model, the answer, its citations). The service does not say when each step ran, so
   * both are spans of the moment the answer arrived, inside the workflow's time.
   */
  static void retrieveAndGenerateResponse(CallRecord r, Map<String, Object> req, Map<String, Object> res) {
    String question = Json.str(Json.obj(req, "input"), "text");
    String answer = Json.str(Json.obj(res, "output"), "text");
    List<?> citations = Json.list(res, "citations");
    List<Object> references = new ArrayList<>();
    if (citations != null) {
      for (Object c : citations) {
        List<?> refs = Json.list(c, "retrievedReferences");
        if (refs != null) references.addAll(refs);
      }
    }
    List<Map<String, Object>> meta = new ArrayList<>();
    List<Document> docs = documents(references, meta);
    String guardrail = Json.str(res, "guardrailAction");

    LLMObsSpan retrieval = LLMObs.span(SpanKind.RETRIEVAL, "bedrock-agent-runtime.retrieve").parent(r.span).startDetached();
    retrieval.tag("integration", "bedrock");
    if (question != null) retrieval.input(ModelCall.clip(question));
    retrieval.outputDocuments(docs);
    if (!meta.isEmpty() && dev.llmobs.internal.TracerHandle.current().captureIo()) retrieval.metadata("document_metadata", meta);
    retrieval.finish();

    Map<String, Object> kb = Json.obj(Json.obj(req, "retrieveAndGenerateConfiguration"), "knowledgeBaseConfiguration");
    String modelArn = Json.str(kb, "modelArn");
    if (modelArn == null) modelArn = Json.str(Json.obj(Json.obj(req, "retrieveAndGenerateConfiguration"),
        "externalSourcesConfiguration"), "modelArn");
    LLMObsSpan llm = LLMObs.span(SpanKind.LLM, "bedrock-agent-runtime.generate").parent(r.span)
        .modelName(modelId(modelArn)).modelProvider("amazon_bedrock").startDetached();
    llm.tag("integration", "bedrock");
    if (question != null) llm.inputMessages(List.of(dev.llmobs.Message.user(ModelCall.clip(question))));
    llm.outputMessages(List.of(dev.llmobs.Message.assistant(answer == null ? "" : ModelCall.clip(answer))));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("citations", citations == null ? 0 : citations.size());
    if (guardrail != null) m.put("guardrail_action", guardrail);
    llm.metadata(m);
    Guardrails.tag(llm, guardrail);
    llm.finish();

    synchronized (r) {
      if (answer != null) r.outputText = ModelCall.clip(answer);
      r.meta("guardrail_action", guardrail);
      r.meta("bedrock_session_id", Json.str(res, "sessionId"));
    }
    Guardrails.tag(r.span, guardrail);
  }

  /** A model ARN's last part: {@code arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude...} names the model. */
  static String modelId(String arn) {
    if (arn == null) return "unknown";
    int slash = arn.lastIndexOf('/');
    return slash >= 0 ? arn.substring(slash + 1) : arn;
  }

  /** Chunks as Datadog documents (text, score, source as name, chunk id as id); their metadata kept beside, in order. */
  static List<Document> documents(List<?> results, List<Map<String, Object>> metadata) {
    List<Document> docs = new ArrayList<>();
    if (results == null) return docs;
    for (Object res : results) {
      String text = Json.str(Json.obj(res, "content"), "text");
      Document d = Document.of(text == null ? "" : ModelCall.clip(text));
      String source = source(Json.obj(res, "location"));
      if (source != null) d = d.withName(source);
      Map<String, Object> meta = Json.obj(res, "metadata");
      String chunk = Json.str(meta, "x-amz-bedrock-kb-chunk-id");
      if (chunk != null) d = d.withId(chunk);
      Object score = Json.raw(res, "score");
      if (score instanceof Number) d = d.withScore(((Number) score).doubleValue());
      docs.add(d);
      metadata.add(meta == null ? Map.of() : meta);
    }
    boolean any = false;
    for (Map<String, Object> m : metadata) any |= !m.isEmpty();
    if (!any) metadata.clear();
    return docs;
  }

  /** Where a chunk came from: the URI or URL of whichever location type the service filled in. */
  static String source(Map<String, Object> location) {
    if (location == null) return null;
    for (Map.Entry<String, Object> e : location.entrySet()) {
      if (!(e.getValue() instanceof Map)) continue;
      for (String key : new String[] {"uri", "url"}) {
        String v = Json.str(e.getValue(), key);
        if (v != null) return v;
      }
    }
    return Json.str(location, "type");
  }
}
