package dev.llmobs.bedrock;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * A Converse question, Bedrock's answers to it and a caller's stream handler, for the Bedrock tests. Touches nothing of
 * ours, so that {@link RetryScenario} can run it in a JVM without llmobs on the class path.
 */
final class ConverseFixtures {
  private ConverseFixtures() {}

  static final String MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
  static final String TEXT_REPLY = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Sudden water"
      + " damage is covered.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":12,\"outputTokens\":185,"
      + "\"totalTokens\":1225,\"cacheReadInputTokens\":1028,\"cacheWriteInputTokens\":0},\"metrics\":{\"latencyMs\":420}}";

  static ConverseRequest question() {
    return ConverseRequest.builder().modelId(MODEL)
        .system(SystemContentBlock.builder().text("Answer from the policy.").build())
        .messages(Message.builder().role(ConversationRole.USER)
            .content(ContentBlock.fromText("Is water damage covered?")).build())
        .inferenceConfig(c -> c.maxTokens(400).temperature(0.2f).topP(0.9f).stopSequences("\n\nHuman:"))
        .build();
  }

  static List<byte[]> streamFrames() {
    return BedrockStub.frames(
        BedrockStub.event("messageStart", "{\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU\",\"role\":\"assistant\"}"),
        BedrockStub.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Sudden water \"},\"p\":\"ab\"}"),
        BedrockStub.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"damage is covered.\"},\"p\":\"abcd\"}"),
        BedrockStub.event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnopqrs\"}"),
        BedrockStub.event("contentBlockStart", "{\"contentBlockIndex\":1,\"p\":\"abcdefghijklmnopqrstuv\",\"start\":"
            + "{\"toolUse\":{\"name\":\"lookup_policy\",\"toolUseId\":\"tooluse_c4wN\"}}}"),
        BedrockStub.event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"claim\"}},\"p\":\"a\"}"),
        BedrockStub.event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"Id\\\":\\\"88412\\\"}\"}},\"p\":\"a\"}"),
        BedrockStub.event("contentBlockStop", "{\"contentBlockIndex\":1,\"p\":\"abc\"}"),
        BedrockStub.event("messageStop", "{\"p\":\"abcd\",\"stopReason\":\"tool_use\"}"),
        BedrockStub.event("metadata", "{\"metrics\":{\"latencyMs\":1271},\"p\":\"abcdefghijk\",\"usage\":{\"inputTokens\":8,"
            + "\"outputTokens\":26,\"totalTokens\":34}}"));
  }

  static ConverseStreamRequest streamQuestion() {
    ConverseRequest q = question();
    return ConverseStreamRequest.builder().modelId(q.modelId()).system(q.system()).messages(q.messages())
        .inferenceConfig(q.inferenceConfig()).build();
  }

  /** The caller's handler, collecting what it saw. */
  static final class Collector {
    final StringBuilder text = new StringBuilder();
    final List<String> events = new ArrayList<>();
    /** A permit for each content delta the caller has heard. */
    final java.util.concurrent.Semaphore deltas = new java.util.concurrent.Semaphore(0);
    volatile Throwable error;

    ConverseStreamResponseHandler handler() {
      return ConverseStreamResponseHandler.builder()
          .subscriber(ConverseStreamResponseHandler.Visitor.builder()
              .onContentBlockDelta(d -> {
                events.add("delta");
                if (d.delta().text() != null) text.append(d.delta().text());
                deltas.release();
              })
              .onMetadata(m -> events.add("metadata"))
              .build())
          .onError(e -> error = e)
          .build();
    }
  }
}
