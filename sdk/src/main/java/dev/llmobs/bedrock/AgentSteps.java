package dev.llmobs.bedrock;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import dev.llmobs.SpanKind;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent's steps, built from the trace events of its stream as they arrive: each model invocation an {@code llm}
 * span, each action group or code interpreter call a {@code tool} span, each knowledge base lookup a
 * {@code retrieval} span, pre- and post-processing and guardrail checks {@code task} spans, all children of the
 * agent span. A step starts when the event that opens it arrives and ends when the one that closes it does (the
 * events carry ids, not times we could trust across versions); one that never closes ends with the stream, marked.
 * Not thread-safe: its sink calls it under its own lock.
 */
final class AgentSteps {
  private final LLMObsSpan agent;
  private final String model;
  /** Open steps by their event's trace id and role ({@code llm:}, {@code step:}, {@code phase:}). */
  private final Map<String, LLMObsSpan> open = new LinkedHashMap<>();
  /** A model invocation that answered, kept open for the rationale that follows its output. */
  private LLMObsSpan answered;
  private int count;
  /** {@code LLMOBS_CAPTURE_IO}: spans drop input and output themselves; content in metadata is ours to leave out. */
  private final boolean content = dev.llmobs.internal.TracerHandle.current().captureIo();

  AgentSteps(LLMObsSpan agent, String model) {
    this.agent = agent;
    this.model = model;
  }

  private static final java.util.concurrent.atomic.AtomicBoolean TOLD = new java.util.concurrent.atomic.AtomicBoolean();

  /** The agent call's request: the question, the agent, and whether its steps will be reported. */
  static void request(CallRecord r, Map<String, Object> req) {
    synchronized (r) {
      r.inputText = ModelCall.clip(Json.str(req, "inputText"));
      r.meta("agent_id", Json.str(req, "agentId"));
      r.meta("agent_alias_id", Json.str(req, "agentAliasId"));
      r.meta("foundation_model", Json.str(req, "foundationModel"));
      r.meta("bedrock_session_id", Json.str(req, "sessionId"));
      r.meta("end_session", Json.raw(req, "endSession"));
      r.meta("memory_id", Json.str(req, "memoryId"));
    }
    if (!Boolean.TRUE.equals(Json.raw(req, "enableTrace")) && TOLD.compareAndSet(false, true)) {
      dev.llmobs.internal.Log.info("Bedrock agent calls are traced as one span each; call InvokeAgent with "
          + "enableTrace(true) to see the agent's steps (model calls, actions, knowledge base lookups) as child spans");
    }
  }

  int count() {
    return count;
  }

  /** A {@code trace} event: one step's start or end, by the kind of trace it carries. */
  void trace(Object part) {
    Map<String, Object> trace = Json.obj(part, "trace");
    if (trace == null) return;
    Map<String, Object> t;
    if ((t = Json.obj(trace, "orchestrationTrace")) != null) orchestration(t);
    else if ((t = Json.obj(trace, "preProcessingTrace")) != null) phase("pre_processing", t);
    else if ((t = Json.obj(trace, "postProcessingTrace")) != null) phase("post_processing", t);
    else if ((t = Json.obj(trace, "routingClassifierTrace")) != null) phase("routing_classifier", t);
    else if ((t = Json.obj(trace, "guardrailTrace")) != null) guardrail(t);
    else if ((t = Json.obj(trace, "failureTrace")) != null) failed(Json.str(t, "failureReason"));
  }

  private void orchestration(Map<String, Object> o) {
    Map<String, Object> e;
    if ((e = Json.obj(o, "modelInvocationInput")) != null) {
      settle();
      open.put("llm:" + Json.str(e, "traceId"), modelInput(e, agent, "bedrock-agent.orchestration"));
    } else if ((e = Json.obj(o, "modelInvocationOutput")) != null) {
      LLMObsSpan llm = open.remove("llm:" + Json.str(e, "traceId"));
      if (llm == null) return;
      modelOutput(llm, e);
      answered = llm;
    } else if ((e = Json.obj(o, "rationale")) != null) {
      if (answered != null && content) answered.metadata("rationale", ModelCall.clip(Json.str(e, "text")));
      settle();
    } else if ((e = Json.obj(o, "invocationInput")) != null) {
      settle();
      LLMObsSpan step = invocation(e);
      if (step != null) open.put("step:" + Json.str(e, "traceId"), step);
    } else if ((e = Json.obj(o, "observation")) != null) {
      settle();
      observation(e);
    }
  }

  private LLMObsSpan modelInput(Map<String, Object> in, LLMObsSpan parent, String name) {
    String foundation = Json.str(in, "foundationModel");
    if (foundation == null) foundation = model;
    LLMObsSpan llm = child(SpanKind.LLM, name, parent, foundation == null ? "unknown" : foundation);
    String prompt = Json.str(in, "text");
    if (prompt != null) llm.inputMessages(List.of(Message.user(ModelCall.clip(prompt))));
    Map<String, Object> meta = new LinkedHashMap<>();
    put(meta, "type", Json.str(in, "type"));
    put(meta, "prompt_creation_mode", Json.str(in, "promptCreationMode"));
    put(meta, "parser_mode", Json.str(in, "parserMode"));
    put(meta, "inference_configuration", Json.raw(in, "inferenceConfiguration"));
    if (!meta.isEmpty()) llm.metadata(meta);
    return llm;
  }

  /**
   * A step's times as the service reports them in its closing event's {@code metadata} ({@code startTime} and
   * {@code endTime}, ISO-8601 as the AWS SDK reads them, or epoch seconds; or {@code totalTimeMs}, ending now): kept on the span instead of the
   * events' arrival. Without them the arrival stands.
   */
  private static void reported(LLMObsSpan span, Map<String, Object> metadata) {
    if (span == null || metadata == null) return;
    long start = epochNanos(Json.raw(metadata, "startTime")), end = epochNanos(Json.raw(metadata, "endTime"));
    Long total = Json.num(metadata, "totalTimeMs");
    if (start > 0 && end >= start) {
      dev.llmobs.internal.TracerHandle.current().reportTimes(span, start, end - start);
    } else if (total != null && total >= 0) {
      long now = System.currentTimeMillis() * 1_000_000L;
      dev.llmobs.internal.TracerHandle.current().reportTimes(span, now - total * 1_000_000L, total * 1_000_000L);
    }
  }

  static long epochNanos(Object t) {
    try {
      if (t instanceof Number) return Math.round(((Number) t).doubleValue() * 1e9);
      if (t instanceof String) {
        java.time.Instant i = java.time.Instant.parse((String) t);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
      }
    } catch (RuntimeException e) {
      // a time we cannot read: the arrival stands
    }
    return -1;
  }

  private static void modelOutput(LLMObsSpan llm, Map<String, Object> out) {
    reported(llm, Json.obj(out, "metadata"));
    String raw = Json.str(Json.obj(out, "rawResponse"), "content");
    Map<String, Object> parsed = Json.obj(out, "parsedResponse");
    String text = raw != null ? raw : Json.str(parsed, "text") != null ? Json.str(parsed, "text") : Json.str(parsed, "rationale");
    List<Message> messages = new ArrayList<>();
    String reasoning = Json.str(Json.obj(Json.obj(out, "reasoningContent"), "reasoningText"), "text");
    if (reasoning != null) messages.add(Message.of("reasoning", ModelCall.clip(reasoning)));
    messages.add(Message.assistant(text == null ? "" : ModelCall.clip(text)));
    llm.outputMessages(messages);
    if (parsed != null && Json.has(parsed, "isValid")) llm.metadata("is_valid", Json.raw(parsed, "isValid"));
    Map<String, Object> usage = Json.obj(Json.obj(out, "metadata"), "usage");
    Long in = Json.num(usage, "inputTokens"), outTokens = Json.num(usage, "outputTokens");
    if (in != null) llm.metric("input_tokens", in);
    if (outTokens != null) llm.metric("output_tokens", outTokens);
    if (in != null || outTokens != null) llm.metric("total_tokens", (in == null ? 0 : in) + (outTokens == null ? 0 : outTokens));
  }

  /** An action group, code interpreter, knowledge base or collaborator call starts. */
  private LLMObsSpan invocation(Map<String, Object> in) {
    Map<String, Object> e;
    if ((e = Json.obj(in, "actionGroupInvocationInput")) != null) {
      String fn = Json.str(e, "function") != null ? Json.str(e, "function") : Json.str(e, "apiPath");
      LLMObsSpan tool = child(SpanKind.TOOL, name(Json.str(e, "actionGroupName"), fn), agent, null);
      tool.input(arguments(Json.list(e, "parameters"), Json.raw(e, "requestBody")));
      Map<String, Object> meta = new LinkedHashMap<>();
      put(meta, "action_group", Json.str(e, "actionGroupName"));
      put(meta, "function", Json.str(e, "function"));
      put(meta, "api_path", Json.str(e, "apiPath"));
      put(meta, "verb", Json.str(e, "verb"));
      put(meta, "execution_type", Json.str(e, "executionType"));
      put(meta, "invocation_id", Json.str(e, "invocationId"));
      tool.metadata(meta);
      return tool;
    }
    if ((e = Json.obj(in, "codeInterpreterInvocationInput")) != null) {
      LLMObsSpan tool = child(SpanKind.TOOL, "code_interpreter", agent, null);
      tool.input(ModelCall.clip(Json.str(e, "code")));
      return tool;
    }
    if ((e = Json.obj(in, "knowledgeBaseLookupInput")) != null) {
      LLMObsSpan retrieval = child(SpanKind.RETRIEVAL, "bedrock-agent.knowledge_base", agent, null);
      retrieval.input(ModelCall.clip(Json.str(e, "text")));
      retrieval.metadata("knowledge_base_id", Json.str(e, "knowledgeBaseId"));
      return retrieval;
    }
    if ((e = Json.obj(in, "agentCollaboratorInvocationInput")) != null) {
      LLMObsSpan collaborator = child(SpanKind.AGENT, name("collaborator", Json.str(e, "agentCollaboratorName")), agent, null);
      collaborator.input(ModelCall.clip(Json.str(Json.obj(e, "input"), "text")));
      return collaborator;
    }
    return null; // FINISH: the final answer comes as chunks
  }

  private void observation(Map<String, Object> ob) {
    LLMObsSpan step = open.remove("step:" + Json.str(ob, "traceId"));
    Map<String, Object> e;
    if ((e = Json.obj(ob, "actionGroupInvocationOutput")) != null) {
      if (step != null) step.output(ModelCall.clip(Json.str(e, "text")));
    } else if ((e = Json.obj(ob, "codeInterpreterInvocationOutput")) != null) {
      if (step != null) {
        step.output(ModelCall.clip(Json.str(e, "executionOutput")));
        String error = Json.str(e, "executionError");
        if (error != null) step.error("CodeInterpreterError", ModelCall.clip(error));
        if (Boolean.TRUE.equals(Json.raw(e, "executionTimeout"))) step.error("CodeInterpreterTimeout", "the code ran out of time");
      }
    } else if ((e = Json.obj(ob, "knowledgeBaseLookupOutput")) != null) {
      if (step != null) {
        List<Map<String, Object>> meta = new ArrayList<>();
        step.outputDocuments(KnowledgeBases.documents(Json.list(e, "retrievedReferences"), meta));
        if (!meta.isEmpty() && content) step.metadata("document_metadata", meta);
      }
    } else if ((e = Json.obj(ob, "agentCollaboratorInvocationOutput")) != null) {
      if (step != null) step.output(ModelCall.clip(Json.str(Json.obj(e, "output"), "text")));
    } else if ((e = Json.obj(ob, "repromptResponse")) != null) {
      if (content) agent.metadata("reprompt", ModelCall.clip(Json.str(e, "text")));
    }
    if (step != null) {
      reported(step, e == null ? null : Json.obj(e, "metadata"));
      step.finish();
    }
  }

  /** Pre- or post-processing (or routing): a task around its model invocation. */
  private void phase(String name, Map<String, Object> p) {
    Map<String, Object> e;
    if ((e = Json.obj(p, "modelInvocationInput")) != null) {
      settle();
      String id = Json.str(e, "traceId");
      LLMObsSpan task = child(SpanKind.TASK, "bedrock-agent." + name, agent, null);
      open.put("phase:" + id, task);
      open.put("llm:" + id, modelInput(e, task, "bedrock-agent." + name + "_model"));
    } else if ((e = Json.obj(p, "modelInvocationOutput")) != null) {
      String id = Json.str(e, "traceId");
      LLMObsSpan llm = open.remove("llm:" + id), task = open.remove("phase:" + id);
      if (llm != null) {
        modelOutput(llm, e);
        llm.finish();
      }
      if (task != null) {
        reported(task, Json.obj(e, "metadata")); // the phase is its model call
        Map<String, Object> parsed = Json.obj(e, "parsedResponse");
        if (parsed != null) task.output(parsed); // dropped by the span itself when content is not captured
        task.finish();
      }
    }
  }

  private void guardrail(Map<String, Object> g) {
    settle();
    LLMObsSpan task = child(SpanKind.TASK, "bedrock-agent.guardrail", agent, null);
    String action = Json.str(g, "action");
    Map<String, Object> meta = new LinkedHashMap<>();
    put(meta, "action", action);
    if (content) {
      put(meta, "input_assessments", Json.raw(g, "inputAssessments"));
      put(meta, "output_assessments", Json.raw(g, "outputAssessments"));
    }
    task.metadata(meta);
    Guardrails.tag(task, action);
    Guardrails.tag(agent, action);
    reported(task, Json.obj(g, "metadata"));
    task.finish();
  }

  /** The agent reported a failure: the step it was on ends with it (else the agent carries it). */
  void failed(String reason) {
    settle();
    String message = reason == null ? "the agent reported a failure" : ModelCall.clip(reason);
    String last = null;
    for (String key : open.keySet()) last = key;
    LLMObsSpan step = last == null ? null : open.remove(last);
    if (step != null) {
      step.error("AgentFailure", message);
      step.finish();
    } else {
      agent.error("AgentFailure", message);
    }
    agent.metadata("failure_reason", message);
  }

  /** The agent hands actions back to the caller: each a tool span the caller is to run, said so. */
  void returnControl(Object payload, CallRecord record) {
    settle();
    String invocation = Json.str(payload, "invocationId");
    List<?> inputs = Json.list(payload, "invocationInputs");
    if (inputs != null) {
      for (Object in : inputs) {
        Map<String, Object> fn = Json.obj(in, "functionInvocationInput"), api = Json.obj(in, "apiInvocationInput");
        Map<String, Object> e = fn != null ? fn : api;
        if (e == null) continue;
        String target = fn != null ? Json.str(e, "function") : Json.str(e, "apiPath");
        LLMObsSpan tool = child(SpanKind.TOOL, name(Json.str(e, "actionGroup"), target), agent, null);
        tool.input(arguments(Json.list(e, "parameters"), Json.raw(e, "requestBody")));
        tool.metadata(Map.of("return_of_control", true, "invocation_id", invocation == null ? "" : invocation));
        tool.finish();
      }
    }
    record.meta("return_of_control", invocation == null ? true : invocation);
  }

  /** Files the code interpreter made: counted, their names kept (their bytes are not). */
  void files(Object payload, CallRecord record) {
    List<?> files = Json.list(payload, "files");
    if (files == null) return;
    List<String> names = new ArrayList<>();
    for (Object f : files) names.add(Json.str(f, "name"));
    record.meta("files", names);
  }

  /** The stream ended: the answered model call settles, and any step left open ends, marked as such. */
  void close() {
    settle();
    for (LLMObsSpan s : open.values()) {
      s.metadata("incomplete", true);
      s.finish();
    }
    open.clear();
  }

  private void settle() {
    if (answered != null) {
      answered.finish();
      answered = null;
    }
  }

  private LLMObsSpan child(SpanKind kind, String name, LLMObsSpan parent, String modelName) {
    count++;
    dev.llmobs.SpanBuilder b = LLMObs.span(kind, name).parent(parent);
    if (modelName != null) b.modelName(modelName).modelProvider("amazon_bedrock");
    LLMObsSpan s = b.startDetached();
    s.tag("integration", "bedrock");
    return s;
  }

  private static String name(String group, String target) {
    if (group == null) return target == null ? "action" : target;
    return target == null ? group : group + "." + target;
  }

  /** A tool's arguments: its parameters by name, and the request body an API action group sends. */
  private static Map<String, Object> arguments(List<?> parameters, Object body) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (parameters != null) for (Object p : parameters) args.put(String.valueOf(Json.str(p, "name")), Json.raw(p, "value"));
    if (body != null) args.put("requestBody", body);
    return args;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) m.put(key, value);
  }
}
