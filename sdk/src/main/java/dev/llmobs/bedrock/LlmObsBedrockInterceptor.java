package dev.llmobs.bedrock;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.TracerHandle;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Turns every Amazon Bedrock Runtime call (Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream;
 * sync and async clients) into an {@code llm} span, or an {@code embedding} span for embedding models, child of the
 * span current on the calling thread; Bedrock Guardrails' ApplyGuardrail into a {@code task} span, and Bedrock
 * Knowledge Bases' Retrieve and RetrieveAndGenerate (Bedrock Agent Runtime) into a {@code retrieval} span and a
 * {@code workflow} of a retrieval and a generation; Bedrock Agents' InvokeAgent and InvokeInlineAgent into an
 * {@code agent} span with its steps ({@link AgentSteps}). Registered for every AWS SDK v2 client by the resource
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}; can also be added to one client with
 * {@code overrideConfiguration(c -> c.addExecutionInterceptor(new LlmObsBedrockInterceptor()))}. Calls to other
 * services and other operations are left alone. Turn it off with {@code LLMOBS_BEDROCK_ENABLED=false}.
 *
 * <p>Design note: this class touches only sdk-core and reactive-streams types, so it loads in any application
 * using the AWS SDK, with or without bedrockruntime; Bedrock-typed code is in {@link BedrockCalls}, loaded on the
 * first Bedrock call. Every hook catches everything: nothing thrown here may reach the user's call. Per-call state
 * lives in {@link ExecutionAttributes}, never in fields, since one instance serves concurrent calls on many threads.
 */
public final class LlmObsBedrockInterceptor implements ExecutionInterceptor {
  static final ExecutionAttribute<CallRecord> RECORD = Keys.RECORD;
  private static volatile boolean linkageBroken;

  public LlmObsBedrockInterceptor() {}

  /** Keys are JVM-wide and unique by name; a second copy of this class (another class loader) takes a suffixed one. */
  private static final class Keys {
    static final ExecutionAttribute<CallRecord> RECORD = create();

    private static ExecutionAttribute<CallRecord> create() {
      String base = "dev.llmobs.bedrock.CallRecord";
      for (int i = 0; ; i++) {
        try {
          return new ExecutionAttribute<>(i == 0 ? base : base + "#" + i);
        } catch (IllegalArgumentException duplicate) {
          if (i > 100) throw duplicate;
        }
      }
    }
  }

  @Override public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    try {
      if (linkageBroken || !LLMObs.isEnabled()) return; // first: the SDK's first use installs its handle
      TracerHandle tracer = TracerHandle.current();
      if (!tracer.bedrock()) return;
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      boolean runtime = "BedrockRuntime".equals(service);
      if (!runtime && !"BedrockAgentRuntime".equals(service)) return;
      if (attributes.getAttribute(RECORD) != null) return; // registered twice (globally and on the builder)
      String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      if (runtime ? "ApplyGuardrail".equals(op) : "Retrieve".equals(op) || "RetrieveAndGenerate".equals(op)
          || "RetrieveAndGenerateStream".equals(op) || "InvokeAgent".equals(op) || "InvokeInlineAgent".equals(op)) {
        beforeMapped(context, attributes, op, tracer);
        return;
      }
      if (!runtime) return;
      boolean streaming = "ConverseStream".equals(op) || "InvokeModelWithResponseStream".equals(op);
      if (!streaming && !"Converse".equals(op) && !"InvokeModel".equals(op)) return;

      String modelId = BedrockCalls.modelId(context.request());
      ModelId.Facts model = ModelId.Facts.of(modelId);
      // Converse has one shape for every model: no family reads it (nor loads with it).
      ModelFamily family = op.startsWith("Converse") ? ModelFamily.UNKNOWN : model.family();
      SpanKind kind = family.isEmbedding() ? SpanKind.EMBEDDING : SpanKind.LLM;
      // The parent is the span current on the caller's thread now: later hooks may run on other threads.
      LLMObsSpan span = LLMObs.span(kind, spanName(op)).parent(LLMObs.currentSpan())
          .modelName(modelId == null ? "unknown" : modelId).modelProvider("amazon_bedrock").startDetached();
      if (notRecording(span)) return;
      span.tag("integration", "bedrock");
      // model_name stays the id as passed (Datadog prices by it); the parsed model goes in tags of our own.
      if (model.base != null) {
        span.tag("bedrock.base_model", model.base);
        span.tag("bedrock.model_vendor", model.vendor);
      }
      CallRecord record = new CallRecord(span, op, streaming, family, this, apiCallTimeout(context, attributes), tracer);
      attributes.putAttribute(RECORD, record);
      if (streaming) {
        // A stream may outlive the handler that started it: let the invocation's flush wait for it, boundedly.
        tracer.callOpened(record, span.context().traceId(), true, record.forceEnd());
      }
      BedrockCalls.onRequest(record, context.request());
      record.requestRecorded();
    } catch (LinkageError e) {
      disable(e);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.debug("Bedrock request not recorded: " + t);
    }
  }

  /** A span of a sampled-out trace keeps nothing: it is ended at once, and nothing of the call is read. */
  private static boolean notRecording(LLMObsSpan span) {
    if (span.isRecording()) return false;
    span.finish();
    return true;
  }

  /**
   * Starts the span of an operation read as wire-named maps ({@link Pojos}): a guardrail check is a task, a Knowledge
   * Base lookup a retrieval, a lookup and generation a workflow (its steps are added from the answer).
   */
  private void beforeMapped(Context.BeforeExecution context, ExecutionAttributes attributes, String op, TracerHandle tracer) {
    java.util.Map<String, Object> req = Pojos.toJava(context.request());
    boolean agent = op.startsWith("Invoke"), streaming = agent || op.equals("RetrieveAndGenerateStream");
    SpanKind kind = op.equals("ApplyGuardrail") ? SpanKind.TASK : op.equals("Retrieve") ? SpanKind.RETRIEVAL
        : agent ? SpanKind.AGENT : SpanKind.WORKFLOW;
    dev.llmobs.SpanBuilder b = LLMObs.span(kind, spanName(op)).parent(LLMObs.currentSpan()).modelProvider("amazon_bedrock");
    String session = op.equals("ApplyGuardrail") || op.equals("Retrieve") ? null : dev.llmobs.integrations.internal.Json.str(req, "sessionId");
    if (session != null) b.sessionId(session); // the conversation the caller continues
    LLMObsSpan span = b.startDetached();
    if (notRecording(span)) return;
    span.tag("integration", "bedrock");
    CallRecord record = new CallRecord(span, op, streaming, ModelFamily.UNKNOWN, this, apiCallTimeout(context, attributes), tracer);
    record.requestFields = req;
    attributes.putAttribute(RECORD, record);
    if (streaming) tracer.callOpened(record, span.context().traceId(), true, record.forceEnd());
    if (op.equals("ApplyGuardrail")) Guardrails.applyRequest(record, req);
    else if (op.equals("Retrieve")) KnowledgeBases.retrieveRequest(record, req);
    else if (agent) AgentSteps.request(record, req);
    else KnowledgeBases.retrieveAndGenerateRequest(record, req);
    record.requestRecorded();
  }

  /** The answer of an operation read as maps; never loads a Bedrock Runtime class (Agent Runtime may be alone). */
  private static void mappedResponse(CallRecord r, java.util.Map<String, Object> res) {
    switch (r.operation) {
      case "ApplyGuardrail": Guardrails.applyResponse(r, res); break;
      case "Retrieve": KnowledgeBases.retrieveResponse(r, res); break;
      default: KnowledgeBases.retrieveAndGenerateResponse(r, r.requestFields, res);
    }
  }

  /**
   * The call's own record, or null when the call is not ours or this is a second registration of the interceptor
   * (globally and on the builder): one instance acts per call.
   */
  private CallRecord record(ExecutionAttributes attributes) {
    CallRecord record = attributes.getAttribute(RECORD);
    return record != null && record.owner == this ? record : null;
  }

  /**
   * The API call timeout in force for an async call (the request's, else the client's), or null. An async stream
   * that outlives it is cancelled by the SDK, which tells the caller {@code ApiCallTimeoutException} and no
   * interceptor anything: the span learns it from the clock. A sync call's timeout reaches
   * {@link #onExecutionFailure} as the caller sees it, so a sync call is not asked: a client's first answer builds
   * its whole configuration, 4 to 7 ms in a fresh JVM.
   */
  static java.time.Duration apiCallTimeout(Context.BeforeExecution context, ExecutionAttributes attributes) {
    try {
      if (attributes.getAttribute(SdkExecutionAttribute.CLIENT_TYPE) == software.amazon.awssdk.core.ClientType.SYNC) {
        return null;
      }
      Optional<? extends software.amazon.awssdk.core.RequestOverrideConfiguration> request =
          context.request().overrideConfiguration(); // read without a method reference: no lambda bootstrap per JVM
      Optional<java.time.Duration> own = request.isPresent() ? request.get().apiCallTimeout() : Optional.empty();
      if (own.isPresent()) return own.get();
      software.amazon.awssdk.core.SdkClient client =
          attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkInternalExecutionAttribute.SDK_CLIENT);
      if (client == null) return null;
      ClientTimeout last = lastClient;
      if (last != null && last.client.get() == client) return last.timeout;
      // The client builds its whole configuration anew on every call of this: asked once per client, not per call.
      java.time.Duration timeout = client.serviceClientConfiguration().overrideConfiguration().apiCallTimeout().orElse(null);
      lastClient = new ClientTimeout(client, timeout);
      return timeout;
    } catch (Throwable t) { // an SDK without these (older than 2.20) keeps the span's own reading of the end
      Throwables.propagateIfFatal(t);
      return null;
    }
  }

  /**
   * The client last asked for its timeout, and the answer. A client's configuration does not change once built, and a
   * function calls through one client, so one entry serves nearly every call; held weakly, so that a client the
   * function drops is not kept.
   */
  private static final class ClientTimeout {
    final java.lang.ref.WeakReference<software.amazon.awssdk.core.SdkClient> client;
    final java.time.Duration timeout;

    ClientTimeout(software.amazon.awssdk.core.SdkClient client, java.time.Duration timeout) {
      this.client = new java.lang.ref.WeakReference<>(client);
      this.timeout = timeout;
    }
  }

  private static volatile ClientTimeout lastClient;

  /** Every attempt, the first and each retry, passes here once before it is sent. */
  @Override public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    try {
      CallRecord record = record(attributes);
      if (record != null && record.attempt() == 0) {
        software.amazon.awssdk.http.SdkHttpRequest http = context.httpRequest();
        record.span.tag("server.address", http.host()).tag("server.port", Integer.toString(http.port()));
      }
      if (record != null) record.attemptStarted();
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
  }

  /** An attempt answered with an error status: remembered, in case the SDK retries it. */
  @Override public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    try {
      CallRecord record = record(attributes);
      int status = context.httpResponse().statusCode();
      if (record == null || status / 100 == 2) return;
      String type = context.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("HTTP error");
      int colon = type.indexOf(':');
      record.attemptFailed((colon > 0 ? type.substring(0, colon) : type) + " (HTTP " + status + ")");
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
  }

  static String spanName(String op) {
    switch (op) {
      case "Converse": return "bedrock-runtime.converse";
      case "ConverseStream": return "bedrock-runtime.converse_stream";
      case "InvokeModel": return "bedrock-runtime.invoke_model";
      case "ApplyGuardrail": return "bedrock-runtime.apply_guardrail";
      case "Retrieve": return "bedrock-agent-runtime.retrieve";
      case "RetrieveAndGenerate": return "bedrock-agent-runtime.retrieve_and_generate";
      case "RetrieveAndGenerateStream": return "bedrock-agent-runtime.retrieve_and_generate_stream";
      case "InvokeAgent": return "bedrock-agent-runtime.invoke_agent";
      case "InvokeInlineAgent": return "bedrock-agent-runtime.invoke_inline_agent";
      default: return "bedrock-runtime.invoke_model_with_response_stream";
    }
  }

  /** Largest Converse response body kept for parsing; a larger one passes through unread. */
  static final int MAX_CAPTURED_BYTES = 4 << 20;

  /**
   * Sync Converse on an AWS SDK that does not model cache tokens: reads the JSON response once and hands the caller a
   * stream over the same bytes (one copy, no second read), so that those tokens are still seen. An SDK that models
   * them gets its own stream untouched: the typed response then holds everything the span needs, and the copy would
   * only cost the function a buffer per call.
   */
  @Override public Optional<java.io.InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    Optional<java.io.InputStream> body = context.responseBody();
    try {
      CallRecord record = record(attributes);
      if (record == null || !body.isPresent() || !keepsBody(record, context.httpResponse())) return body;
      java.io.InputStream in = body.get();
      byte[] head = in.readNBytes(MAX_CAPTURED_BYTES + 1);
      if (head.length > MAX_CAPTURED_BYTES) {
        return Optional.of(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), in));
      }
      record.rawResponse = head;
      return Optional.of(new java.io.ByteArrayInputStream(head));
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return body; // reading failed before anything was consumed only if the stream itself failed: the SDK will say so
    }
  }

  /** Whether a call's JSON answer is kept for the span: a successful Converse on an SDK that loses cache tokens. */
  private static boolean keepsBody(CallRecord record, software.amazon.awssdk.http.SdkHttpResponse http) {
    return !BedrockCalls.CACHE_TOKENS_MODELLED && "Converse".equals(record.operation) && http.statusCode() / 100 == 2;
  }

  @Override public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    Optional<Publisher<ByteBuffer>> body = context.responsePublisher();
    try {
      CallRecord record = record(attributes);
      if (record == null || !body.isPresent()) return body;
      if (!record.streaming) {
        return keepsBody(record, context.httpResponse())
            ? Optional.of(new ResponseTaps.Collect(body.get(), record)) : body;
      }
      int status = context.httpResponse().statusCode();
      boolean eventStream = context.httpResponse().firstMatchingHeader("Content-Type")
          .map(v -> v.startsWith("application/vnd.amazon.eventstream")).orElse(false);
      if (status / 100 != 2 || !eventStream) return body;
      ResponseTaps.Sink sink = record.requestFields == null ? new FrameSink(record)
          : record.operation.startsWith("Invoke") ? new AgentSink(record) : new GenerationSink(record);
      record.sink = sink;
      return Optional.of(new ResponseTaps.Frames(body.get(), record, sink));
    } catch (LinkageError e) {
      disable(e);
      return body;
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return body;
    }
  }

  @Override public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    try {
      CallRecord record = record(attributes);
      if (record == null) return;
      // A stream ends in its tap, before this hook; for one that did not say how, this is its end.
      if (record.requestFields != null && !record.streaming) mappedResponse(record, Pojos.toJava(context.response()));
      else if (!record.streaming) BedrockCalls.onResponse(record, context.response(), context.httpResponse());
      record.end(null);
    } catch (LinkageError e) {
      disable(e);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.debug("Bedrock response not recorded: " + t);
    }
  }

  @Override public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    try {
      CallRecord record = record(attributes);
      if (record == null) return;
      record.end(unwrap(context.exception())); // with what the last attempt streamed before it failed
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static void disable(LinkageError e) {
    linkageBroken = true;
    Log.warn("Bedrock tracing is off for this process: the AWS SDK on the class path does not match ("
        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
  }
}
