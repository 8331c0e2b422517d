package dev.llmobs.springai;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanBuilder;
import dev.llmobs.SpanKind;
import io.micrometer.observation.Observation;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;
import org.springframework.ai.chat.client.observation.ChatClientObservationContext;

/**
 * The chat client's observations (spring-ai-client-chat, loaded only when the application has it): the call a
 * {@code workflow}, an {@code agent} when it offers tools; an advisor that does work a {@code task}.
 */
final class ClientSpans {
  private ClientSpans() {}

  static SpanBuilder builder(Observation.Context context, SpringAiSpans.Kind kind) {
    if (kind == SpringAiSpans.Kind.CHAT_CLIENT) {
      ChatClientObservationContext c = (ChatClientObservationContext) context;
      return LLMObs.span(SpringAiSpans.tools(c.getRequest().prompt()).isEmpty() ? SpanKind.WORKFLOW : SpanKind.AGENT,
          "spring_ai.chat_client");
    }
    String advisor = ((AdvisorObservationContext) context).getAdvisorName();
    return doesWork(advisor) ? LLMObs.span(SpanKind.TASK, advisor) : null;
  }

  static boolean streaming(Observation.Context context) {
    return ((ChatClientObservationContext) context).isStream();
  }

  /**
   * Advisors that only hand the request on are left out: Spring AI's own terminal advisors (they wrap the model
   * call, which is its own span) and its logger.
   */
  static boolean doesWork(String advisor) {
    if (advisor == null) return false;
    String a = advisor.toLowerCase(java.util.Locale.ROOT);
    return !(a.equals("call") || a.equals("stream") || a.contains("chatmodelcalladvisor")
        || a.contains("chatmodelstreamadvisor") || a.contains("simplelogger"));
  }

  static void finish(Observation.Context context, SpringAiSpans.Kind kind, LLMObsSpan span) {
    if (kind == SpringAiSpans.Kind.CHAT_CLIENT) {
      ChatClientObservationContext c = (ChatClientObservationContext) context;
      span.input(SpringAiSpans.lastUserText(c.getRequest().prompt()));
      ChatClientResponse r = c.getResponse();
      if (r != null && r.chatResponse() != null) span.output(SpringAiSpans.text(r.chatResponse()));
      if (c.isStream()) span.metadata("stream", true);
      return;
    }
    AdvisorObservationContext c = (AdvisorObservationContext) context;
    ChatClientRequest request = c.getChatClientRequest();
    if (request != null) span.input(SpringAiSpans.lastUserText(request.prompt()));
    ChatClientResponse r = c.getChatClientResponse();
    if (r != null && r.chatResponse() != null) span.output(SpringAiSpans.text(r.chatResponse()));
    span.metadata("order", c.getOrder());
  }
}
