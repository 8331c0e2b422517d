package dev.llmobs.export.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.testing.TestCerts;
import dev.llmobs.testing.TestIntake;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agentless route speaks TLS through an SSLEngine on the caller's thread: against the loopback intake over
 * HTTPS with a certificate made for the test (keytool), the client verifies the host name, keeps the connection
 * alive, and refuses a certificate for another host before sending anything.
 */
class HttpPosterTlsTest {
  @TempDir Path dir;
  TestIntake intake;

  @AfterEach void stop() {
    if (intake != null) intake.close();
  }

  static long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
  }

  @Test void postsOverTlsToTheNamedHostOnOneKeptAliveConnection() throws Exception {
    KeyStore keys = TestCerts.keystore(dir, "localhost", "dns:localhost,ip:127.0.0.1");
    intake = TestIntake.https(TestCerts.serverContext(keys));
    HttpPoster poster = new HttpPoster("test", TestCerts.trusting(keys));
    URI url = URI.create(intake.origin() + "/api/v2/llmobs");
    for (int i = 0; i < 3; i++) {
      HttpPoster.Result r = poster.post(url, new String[] {"Content-Type", "application/json"},
          ("[" + i + "]").getBytes(StandardCharsets.UTF_8), deadline());
      assertEquals(HttpPoster.Fate.ACCEPTED, r.fate, r.toString());
      assertEquals(202, r.status);
    }
    List<String> bodies = new ArrayList<>();
    for (TestIntake.Request q : intake.requests()) bodies.add(q.bodyText());
    assertEquals(List.of("[0]", "[1]", "[2]"), bodies);
    assertEquals("localhost:" + intake.port(), intake.requests().get(0).headers.get("host"));
  }

  @Test void postsALargeBodyOverTls() throws Exception {
    KeyStore keys = TestCerts.keystore(dir, "localhost", "dns:localhost,ip:127.0.0.1");
    intake = TestIntake.https(TestCerts.serverContext(keys));
    HttpPoster poster = new HttpPoster("test", TestCerts.trusting(keys));
    byte[] body = ("[\"" + "y".repeat(3_000_000) + "\"]").getBytes(StandardCharsets.UTF_8);
    HttpPoster.Result r = poster.post(URI.create(intake.origin() + "/api/v2/llmobs"), new String[0], body, deadline());
    assertEquals(HttpPoster.Fate.ACCEPTED, r.fate, r.toString());
    assertEquals(body.length, intake.requests().get(0).body.length);
  }

  @Test void refusesACertificateMadeForAnotherHost() throws Exception {
    KeyStore keys = TestCerts.keystore(dir, "elsewhere", "dns:intake.example.org");
    intake = TestIntake.https(TestCerts.serverContext(keys));
    HttpPoster poster = new HttpPoster("test", TestCerts.trusting(keys));
    HttpPoster.Result r = poster.post(URI.create(intake.origin() + "/api/v2/llmobs"), new String[0], new byte[] {'['},
        deadline());
    assertEquals(HttpPoster.Fate.NOT_TAKEN, r.fate, "a refused handshake sent nothing: " + r);
    assertTrue(r.problem.contains("SSLHandshakeException"), r.problem);
    assertTrue(intake.requests().isEmpty(), "nothing was sent to a host whose name the certificate does not carry");
  }

  @Test void theJdkTrustStoreRefusesATestCertificate() throws Exception {
    KeyStore keys = TestCerts.keystore(dir, "localhost", "dns:localhost,ip:127.0.0.1");
    intake = TestIntake.https(TestCerts.serverContext(keys));
    HttpPoster poster = new HttpPoster("test"); // the JDK's default trust store, as in production
    HttpPoster.Result r = poster.post(URI.create(intake.origin() + "/api/v2/llmobs"), new String[0], new byte[] {'['},
        deadline());
    assertEquals(HttpPoster.Fate.NOT_TAKEN, r.fate, r.toString());
    assertTrue(intake.requests().isEmpty());
  }
}
