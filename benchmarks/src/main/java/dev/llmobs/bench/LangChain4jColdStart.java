package dev.llmobs.bench;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Cold start of a first LangChain4j AI Service call (model and service built, a call with one tool turn: two model
 * calls and the tool) in fresh JVMs: without llmobs on the class path at all, and with it (the AI Service traced
 * through our service-loader entry, the model through {@code LLMObsLangChain4j.listener()}, spans written to stdout).
 * Alternates the two; reports medians and their ratio. Run: {@code benchmarks/run-cold-start.sh langchain4j [runs]}.
 */
public final class LangChain4jColdStart {
  private LangChain4jColdStart() {}

  static final String TOOL_CALL = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
      + "\"type\":\"function\",\"function\":{\"name\":\"get_claim\",\"arguments\":\"{\\\"claimId\\\":\\\"88412\\\"}\"}}]},"
      + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":7,\"total_tokens\":28}}";
  static final String ANSWER = "{\"id\":\"c2\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Covered.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":3,\"total_tokens\":43}}";

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    // Our jars last, where a layer's go.
    String full = ColdJvm.classPathWithLast("llmobs-", "/sdk/target/", "/langchain4j/target/");
    String plain = ColdJvm.classPathWithout("llmobs-", "/sdk/target/", "/langchain4j/target/");
    HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    stub.createContext("/v1/chat/completions", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      byte[] answer = (body.replace(" ", "").contains("\"role\":\"tool\"") ? ANSWER : TOOL_CALL).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, answer.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer);
      }
    });
    stub.start();
    String url = "http://127.0.0.1:" + stub.getAddress().getPort() + "/v1";
    try {
      ColdJvm.compare("first AI Service call (two model calls and a tool)", runs,
          () -> ColdJvm.run(plain, Child.class.getName(), Map.of(), "plain", url),
          () -> ColdJvm.run(full, Child.class.getName(), Map.of("LLMOBS_EXPORTER", "stdout", "LLMOBS_LOG_LEVEL", "warn"),
              "traced", url));
    } finally {
      stub.stop(0);
    }
  }

  public interface Assistant {
    String answer(String question);
  }

  public static final class Claims {
    @Tool("Looks a claim up")
    public String get_claim(String claimId) {
      return "{\"claim\":\"" + claimId + "\"}";
    }
  }

  /** Runs in each cold JVM: build the model and the AI Service, make one call. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      boolean traced = args[0].equals("traced");
      long start = System.nanoTime();
      List<ChatModelListener> listeners = traced ? List.of((ChatModelListener) Class
          .forName("dev.llmobs.langchain4j.LLMObsLangChain4j").getMethod("listener").invoke(null)) : List.of();
      OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(args[1]).apiKey("sk-bench").modelName("gpt-4o-mini")
          .maxRetries(0).listeners(listeners).build();
      Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new Claims()).build();
      if (!"Covered.".equals(assistant.answer("Is claim 88412 covered?"))) throw new IllegalStateException("unexpected");
      if (traced) { // agent, llm, tool, llm: the work measured is the work of tracing it all
        Object flushed = Class.forName("dev.llmobs.LLMObs").getMethod("flush").invoke(null);
        Object sent = flushed.getClass().getMethod("spansSent").invoke(flushed);
        if (!Integer.valueOf(4).equals(sent)) throw new IllegalStateException("spans sent: " + sent);
      }
      long elapsed = System.nanoTime() - start;
      System.out.println("elapsed_ns=" + elapsed);
    }
  }
}
