package dev.llmobs.export.otlp;

import dev.llmobs.export.Framing;
import java.util.List;

/**
 * An OTLP/protobuf export request around a batch of encoded spans (or log records): the request's one
 * {@code ResourceSpans} holds the resource and one {@code ScopeSpans}, which holds the scope, the events (field 2)
 * and the schema URL. The same field numbers serve {@code ExportLogsServiceRequest}, {@code ResourceLogs} and
 * {@code ScopeLogs}. Nested lengths are known only once the batch is, so the body is built at packing time.
 */
final class ProtoFraming implements Framing {
  private final byte[] resource, scope;
  private final String schemaUrl;

  ProtoFraming(byte[] resource, byte[] scope, String schemaUrl) {
    this.resource = resource;
    this.scope = scope;
    this.schemaUrl = schemaUrl;
  }

  @Override public int overhead() {
    // the resource and scope with their tags and lengths, the schema URL, three levels of tag and length
    return resource.length + scope.length + schemaUrl.length() + 6 * 3 + 6 * 3;
  }

  @Override public int size(int length, boolean first) {
    return 1 + Proto.varintSize(length) + length;
  }

  @Override public byte[] pack(List<byte[]> events) {
    int total = 0;
    for (byte[] e : events) total += e.length + 6;
    Proto scoped = new Proto(total + scope.length + schemaUrl.length() + 16).bytes(1, scope);
    for (byte[] e : events) scoped.bytes(2, e);
    scoped.string(3, schemaUrl);
    Proto resourceScoped = new Proto(scoped.size() + resource.length + 16).bytes(1, resource).message(2, scoped);
    return new Proto(resourceScoped.size() + 8).message(1, resourceScoped).toByteArray();
  }
}
