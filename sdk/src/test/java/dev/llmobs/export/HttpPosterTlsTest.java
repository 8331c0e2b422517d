package dev.llmobs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agentless route speaks TLS: against a real HTTPS server on loopback with a certificate made for the test
 * (keytool), the client verifies the host name, keeps the connection alive, and refuses a certificate for another
 * host.
 */
class HttpPosterTlsTest {
  @TempDir Path dir;
  HttpsServer server;
  SSLContext trusting;
  final List<String> bodies = new CopyOnWriteArrayList<>();

  static KeyStore keystore(Path dir, String name, String san) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + name, "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12",
        "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    return store;
  }

  void start(KeyStore serverKeys, KeyStore trusted) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverKeys, "changeit".toCharArray());
    SSLContext serverCtx = SSLContext.getInstance("TLS");
    serverCtx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
    server.createContext("/", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(202, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    server.start();
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);
  }

  @AfterEach void stop() {
    if (server != null) server.stop(0);
  }

  long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
  }

  @Test void postsOverTlsToTheNamedHostRepeatedly() throws Exception {
    KeyStore keys = keystore(dir, "localhost", "dns:localhost,ip:127.0.0.1");
    start(keys, keys);
    HttpPoster poster = new HttpPoster("test", trusting);
    URI url = URI.create("https://localhost:" + server.getAddress().getPort() + "/api/v2/llmobs");
    for (int i = 0; i < 3; i++) {
      HttpPoster.Result r = poster.post(url, new String[] {"Content-Type", "application/json"},
          ("[" + i + "]").getBytes(StandardCharsets.UTF_8), deadline());
      assertEquals(202, r.status, r.toString());
      assertEquals(HttpPoster.Fate.ACCEPTED, r.fate);
    }
    assertEquals(List.of("[0]", "[1]", "[2]"), bodies);
  }

  @Test void refusesACertificateMadeForAnotherHost() throws Exception {
    KeyStore keys = keystore(dir, "elsewhere", "dns:intake.example.org");
    start(keys, keys);
    HttpPoster poster = new HttpPoster("test", trusting);
    URI url = URI.create("https://localhost:" + server.getAddress().getPort() + "/api/v2/llmobs");
    HttpPoster.Result r = poster.post(url, new String[0], new byte[] {'['}, deadline());
    assertEquals(HttpPoster.Fate.NOT_TAKEN, r.fate, "a refused handshake sent nothing: " + r);
    assertTrue(r.problem.contains("SSLHandshakeException"), r.problem);
    assertTrue(bodies.isEmpty(), "nothing was sent to a host whose name the certificate does not carry");
  }

}
