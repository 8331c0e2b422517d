package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads an agent's event stream (InvokeAgent, InvokeInlineAgent) as it passes to the caller: {@code chunk} events are
 * the answer, {@code trace} events the agent's steps ({@link AgentSteps}), {@code returnControl} the actions it hands
 * back to the caller.
 */
final class AgentSink extends EventStreamSink {
  private final StringBuilder answer = new StringBuilder();
  private final AgentSteps steps;
  private boolean assembled;

  AgentSink(CallRecord record) {
    super(record);
    this.steps = new AgentSteps(record.span, Json.str(record.requestFields, "foundationModel"));
  }

  @Override synchronized void event(String type, Object payload) {
    if ("chunk".equals(type)) {
      String b64 = Json.str(payload, "bytes");
      if (b64 != null) answer.append(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
    } else if ("trace".equals(type)) {
      steps.trace(payload);
    } else if ("returnControl".equals(type)) {
      steps.returnControl(payload, record);
    } else if ("files".equals(type)) {
      steps.files(payload, record);
    }
  }

  /** The answer and the steps as they stand; steps still open end here, marked. */
  @Override public synchronized void assemble(boolean cancelled) {
    if (assembled) return;
    assembled = true;
    steps.close();
    synchronized (record) {
      // The answer whole: the span's size rules cut and count it if it is too large, as for any output.
      if (answer.length() > 0) record.outputText = answer.toString();
      if (cancelled) record.meta("cancelled", true);
      if (steps.count() > 0) record.meta("steps", steps.count());
    }
  }
}
