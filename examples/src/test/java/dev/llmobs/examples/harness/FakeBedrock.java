package dev.llmobs.examples.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for Bedrock on loopback (no model runs here): Converse asks for the claim-status tool when
 * the request offers it and has no tool result yet, and otherwise answers from the policy clause in the request that
 * fits the question (never from one the request does not carry); the guardrail blocks questions about legal action;
 * the knowledge base (Bedrock Agent Runtime, same endpoint) returns the policy's clauses, the one the query is about
 * first.
 */
public final class FakeBedrock implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true"); // else delayed ACKs dominate (lambda-notes.md)
  }

  private final HttpServer server;
  public final AtomicInteger calls = new AtomicInteger();

  public FakeBedrock() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", ex -> {
      try {
        String req = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.incrementAndGet();
        String path = ex.getRequestURI().getPath(), reply;
        if (path.startsWith("/guardrail/")) {
          reply = LEGAL.matcher(req).find()
              ? "{\"action\":\"GUARDRAIL_INTERVENED\",\"outputs\":[{\"text\":\"I can't advise on legal action. Your "
                  + "claims handler can put you in touch with our legal helpline.\"}],\"assessments\":[{\"topicPolicy\":"
                  + "{\"topics\":[{\"name\":\"legal-advice\",\"type\":\"DENY\",\"action\":\"BLOCKED\"}]}}],"
                  + "\"usage\":{\"topicPolicyUnits\":1,\"contentPolicyUnits\":1}}"
              : "{\"action\":\"NONE\",\"outputs\":[],\"assessments\":[{}],\"usage\":{\"topicPolicyUnits\":1,"
                  + "\"contentPolicyUnits\":1}}";
        } else if (path.startsWith("/knowledgebases/")) {
          reply = retrieve(req);
        } else if (req.contains("get_claim_status") && !req.contains("toolResult")) {
          reply = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Let me check the claim.\"},"
              + "{\"toolUse\":{\"toolUseId\":\"tooluse_demo1\",\"name\":\"get_claim_status\",\"input\":{\"claimId\":\"88412\"}}}]}},"
              + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":180,\"outputTokens\":32,\"totalTokens\":212},"
              + "\"metrics\":{\"latencyMs\":610}}";
        } else if (req.contains("get_claim_status") || req.contains("Answer from these facts only")) {
          reply = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":" + quote(answer(req))
              + "}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":236,\"outputTokens\":41,"
              + "\"totalTokens\":1305,\"cacheReadInputTokens\":1028,\"cacheWriteInputTokens\":0},\"metrics\":{\"latencyMs\":880}}";
        } else {
          reply = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"A short summary.\"}]}},"
              + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":25,\"outputTokens\":5,\"totalTokens\":30},"
              + "\"metrics\":{\"latencyMs\":200}}";
        }
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("x-amzn-RequestId", "fake-" + calls.get());
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  private static final java.util.regex.Pattern LEGAL = java.util.regex.Pattern.compile("\\b(sue|lawyer|court)\\b");

  /** The policy: clause id, text, and the words of a question it answers. */
  private static final String[][] CLAUSES = {
      {"4-2", "Clause 4.2: sudden and accidental water damage, such as a burst pipe, is covered up to the limit.",
          "burst pipe sudden accidental water damage"},
      {"7-1", "Clause 7.1: claims must be reported within 30 days.", "report reported how long days deadline"},
      {"4-3", "Clause 4.3: gradual damage, seepage and lack of maintenance are excluded.",
          "gradual seepage seep maintenance leak slowly"}};

  /** How many of a clause's words the question uses. */
  private static int fit(String[] clause, String question) {
    int n = 0;
    String q = question.toLowerCase(java.util.Locale.ROOT);
    for (String w : clause[2].split(" ")) if (q.contains(w)) n++;
    return n;
  }

  /** Retrieve: every clause, those that fit the query best first, scored by how well they fit. */
  @SuppressWarnings("unchecked")
  private static String retrieve(String req) {
    String query;
    try {
      query = String.valueOf(((java.util.Map<String, Object>) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(req)
          .get("retrievalQuery")).get("text"));
    } catch (IOException | RuntimeException e) {
      query = "";
    }
    final String q = query;
    java.util.List<String[]> ranked = new java.util.ArrayList<>(java.util.List.of(CLAUSES));
    ranked.sort((a, b) -> fit(b, q) - fit(a, q)); // stable: ties keep the policy's order
    StringBuilder out = new StringBuilder("{\"retrievalResults\":[");
    for (int i = 0; i < ranked.size(); i++) {
      if (i > 0) out.append(',');
      out.append(clause(ranked.get(i)[1], ranked.get(i)[0], Math.round((0.81 - 0.1 * i) * 100) / 100.0));
    }
    return out.append("]}").toString();
  }

  /**
   * The final answer: the question is the first line of the first user text (LangChain4j puts retrieved content
   * after it); the answer comes from the clause that fits it best among those the request carries.
   */
  @SuppressWarnings("unchecked")
  private static String answer(String req) {
    String question = "";
    try {
      for (Object o : (java.util.List<Object>) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(req).get("messages")) {
        java.util.Map<String, Object> message = (java.util.Map<String, Object>) o;
        if (!"user".equals(message.get("role"))) continue;
        for (Object block : (java.util.List<Object>) message.get("content")) {
          Object text = ((java.util.Map<String, Object>) block).get("text");
          if (text != null && question.isEmpty()) question = text.toString().split("\n")[0];
        }
      }
    } catch (IOException | RuntimeException e) {
      question = ""; // not a Converse request we can read: no clause fits
    }
    String[] best = null;
    for (String[] c : CLAUSES) {
      if (!req.contains(c[1].substring(0, 11))) continue; // "Clause 4.2:" must be in what the model was given
      if (best == null || fit(c, question) > fit(best, question)) best = c;
    }
    if (best == null || fit(best, question) == 0) return "The policy clauses I was given do not answer that.";
    switch (best[0]) {
      case "4-2": return "Yes. A burst pipe is sudden water damage, covered by clause 4.2 up to the policy limit.";
      case "7-1": return "You have 30 days to report a claim (clause 7.1).";
      default: return "No. Gradual seepage is excluded by clause 4.3, which excludes gradual damage and seepage.";
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A knowledge base chunk as Retrieve returns it. */
  private static String clause(String text, String id, double score) {
    return "{\"content\":{\"text\":\"" + text + "\",\"type\":\"TEXT\"},\"location\":{\"type\":\"S3\","
        + "\"s3Location\":{\"uri\":\"s3://claims-policies/policy-88412.pdf\"}},\"score\":" + score
        + ",\"metadata\":{\"x-amz-bedrock-kb-chunk-id\":\"clause-" + id + "\"}}";
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override public void close() {
    server.stop(0);
  }
}
