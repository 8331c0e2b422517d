package dev.llmobs.export.http;

import java.io.IOException;
import java.net.URI;

/** Where a request goes: scheme, host and port; what a pooled connection is matched by. */
final class Origin {
  final boolean tls;
  final String host;
  final int port;

  Origin(boolean tls, String host, int port) {
    this.tls = tls;
    this.host = host;
    this.port = port;
  }

  static Origin of(URI url) throws IOException {
    String scheme = url.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IOException("unsupported URL scheme: " + scheme);
    }
    boolean tls = "https".equalsIgnoreCase(scheme);
    String host = url.getHost();
    if (host == null) throw new IOException("URL has no host");
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    return new Origin(tls, host, port);
  }

  String hostHeader() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (tls && port == 443) || (!tls && port == 80) ? h : h + ":" + port;
  }

  /** A host on this machine: a connection to it costs nothing to open ahead. */
  boolean isLocal() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  boolean isIpLiteral() {
    if (host.indexOf(':') >= 0) return true;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if ((c < '0' || c > '9') && c != '.') return false;
    }
    return true;
  }

  @Override public boolean equals(Object o) {
    if (!(o instanceof Origin)) return false;
    Origin that = (Origin) o;
    return tls == that.tls && port == that.port && host.equals(that.host);
  }

  @Override public int hashCode() {
    return host.hashCode() * 31 + port + (tls ? 1 : 0);
  }
}
