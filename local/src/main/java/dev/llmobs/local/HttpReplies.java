package dev.llmobs.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** The one way the tool's loopback servers (Runtime API, intake, function URL) answer a request. */
final class HttpReplies {
  private HttpReplies() {}

  /** Answers with {@code body} (none when empty) of {@code type}. */
  static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) ex.getResponseBody().write(body);
  }
}
