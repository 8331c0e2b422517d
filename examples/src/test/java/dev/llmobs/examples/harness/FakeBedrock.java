package dev.llmobs.examples.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic Bedrock on loopback for the examples: Converse asks for the claim-status tool when the request
 * offers it and has no tool result yet, and answers otherwise; the guardrail blocks questions about legal action;
 * the knowledge base (Bedrock Agent Runtime, same endpoint) returns the policy's clauses.
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
          reply = "{\"retrievalResults\":["
              + clause("Clause 4.2: sudden and accidental water damage, such as a burst pipe, is covered up to the limit.", "4-2", 0.81)
              + "," + clause("Clause 7.1: claims must be reported within 30 days.", "7-1", 0.64)
              + "," + clause("Clause 4.3: gradual damage, seepage and lack of maintenance are excluded.", "4-3", 0.58) + "]}";
        } else if (req.contains("get_claim_status") && !req.contains("toolResult")) {
          reply = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Let me check the claim.\"},"
              + "{\"toolUse\":{\"toolUseId\":\"tooluse_demo1\",\"name\":\"get_claim_status\",\"input\":{\"claimId\":\"88412\"}}}]}},"
              + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":180,\"outputTokens\":32,\"totalTokens\":212},"
              + "\"metrics\":{\"latencyMs\":610}}";
        } else if (req.contains("get_claim_status")) {
          reply = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Yes. A burst pipe is sudden"
              + " water damage, covered by clause 4.2 up to the policy limit, and the claim was reported within the 30"
              + " days of clause 7.1.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":236,\"outputTokens\":41,"
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
