package dev.llmobs.integrations.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import dev.llmobs.testing.WatchingClassLoader;
import org.junit.jupiter.api.Test;

/**
 * A client interface with no model call is seen through a class written from its class file: it calls the user's
 * client straight through, hands out views of the services it returns, and loads none of the types its methods
 * name until they are called.
 */
class DelegateClassTest {
  public interface Client {
    Service service();

    Elsewhere elsewhere();

    Client withLabel(String label);

    String sum(int a, long b, double c, float d, short e, byte f, char g, boolean h, Object[] i, int[][] j);

    double ratio();

    void close() throws IOException;

    /** Generic, so the class file gives this method an attribute (its signature), as Kotlin's annotations do. */
    <T> T first(List<T> items);

    Client withLabel(String label, String suffix);

    /** What SDKs do for a method only their implementation has: a default that throws. */
    default String motto() {
      throw new UnsupportedOperationException("not supported by this implementation");
    }

    private String hidden() {
      return "no one calls this from outside";
    }
  }

  public interface Service {
    Caller caller();

    String name();
  }

  /** Has a model call ({@code create}): seen through a JDK proxy, which traces it. */
  public interface Caller {
    String create(String prompt);
  }

  public interface Elsewhere {
    String where();
  }

  public interface Extended extends Service {
    String more();
  }

  static final Protocol PROTOCOL = new Protocol() {
    @Override public String sdk() { return "test-sdk"; }
    @Override public Operation ofMethod(Class<?> service, String method) {
      return service.getSimpleName().equals("Caller") && method.equals("create") ? TapTest.CHAT : null;
    }
    @Override public Operation ofRequest(String method, String url) { return null; }
    @Override public boolean navigates(String type) { return type.startsWith(DelegateClassTest.class.getName() + "$"); }
  };

  /** The user's client: answers what it was asked, and fails as asked. */
  static final class UsersClient implements Client {
    final String label;
    final Service service = new Service() {
      @Override public Caller caller() { return prompt -> "answer to " + prompt; }
      @Override public String name() { return "the service"; }
    };
    final IOException failure = new IOException("closed twice");

    UsersClient(String label) {
      this.label = label;
    }

    @Override public Service service() { return service; }
    @Override public Elsewhere elsewhere() { return () -> "far"; }
    @Override public Client withLabel(String l) { return new UsersClient(l); }
    @Override public String sum(int a, long b, double c, float d, short e, byte f, char g, boolean h, Object[] i, int[][] j) {
      return a + "," + b + "," + c + "," + d + "," + e + "," + f + "," + g + "," + h + "," + i[0] + "," + j[1][0];
    }
    @Override public double ratio() { return 0.25; }
    @Override public void close() throws IOException { throw failure; }
    @Override public String toString() { return "client " + label; }
    @Override public <T> T first(List<T> items) { return items.get(0); }
    @Override public String motto() { return "the client's own"; }
    @Override public Client withLabel(String l, String suffix) { return new UsersClient(l + suffix); }
  }

  @Test void aClientWithNoModelCallIsSeenThroughAWrittenClassThatCallsStraightThrough() throws Exception {
    UsersClient users = new UsersClient("a");
    Client seen = ClientProxy.of(Client.class, users, PROTOCOL);
    assertFalse(Proxy.isProxyClass(seen.getClass()), "not a JDK proxy");
    assertTrue(ClientProxy.isProxy(seen), "one of ours: a client wrapped twice is wrapped once");
    assertEquals("7,-9000000000,0.5,1.5,-3,8,x,true,o,42",
        seen.sum(7, -9_000_000_000L, 0.5, 1.5f, (short) -3, (byte) 8, 'x', true, new Object[] {"o"}, new int[][] {{1}, {42}}));
    assertEquals(0.25, seen.ratio());
    assertEquals("one", seen.first(List.of("one", "two")));
    assertEquals("the client's own", seen.motto(), "a default method reaches the client's override");
    assertEquals("client ab", seen.withLabel("a", "b").toString(), "every method, after one with attributes too");
    IOException thrown = assertThrows(IOException.class, seen::close);
    assertSame(users.failure, thrown, "the very exception the client threw");
    assertEquals("client a", seen.toString());
    assertEquals(users.hashCode(), seen.hashCode());
    assertTrue(seen.equals(seen) && seen.equals(users), "equal to itself and to the client, as our JDK proxies are");
    assertNotEquals(seen, new UsersClient("b"));
  }

  @Test void theServicesItHandsOutAreSeenTooAndTheSameViewIsHandedOutAgain() {
    Client seen = ClientProxy.of(Client.class, new UsersClient("a"), PROTOCOL);
    Service service = seen.service();
    assertTrue(ClientProxy.isProxy(service));
    assertFalse(Proxy.isProxyClass(service.getClass()), "no model call: a written class");
    assertSame(service, seen.service(), "one view of one service");
    assertEquals("the service", service.name());
    Caller caller = service.caller();
    assertTrue(Proxy.isProxyClass(caller.getClass()), "a model call: a JDK proxy, which opens its span");
    Client labelled = seen.withLabel("b");
    assertTrue(ClientProxy.isProxy(labelled), "a client from withOptions and the like is seen too");
    assertEquals("client b", labelled.toString());
    assertNotSame(labelled, seen.withLabel("b"), "a method with arguments makes a new view each time, as the client does");
  }

  @Test void anInterfaceThatExtendsAnotherIsSeenThroughAJdkProxy() {
    Extended users = new Extended() {
      @Override public String more() { return "more"; }
      @Override public Caller caller() { return null; }
      @Override public String name() { return "extended"; }
    };
    Extended seen = ClientProxy.of(Extended.class, users, PROTOCOL);
    assertTrue(Proxy.isProxyClass(seen.getClass()));
    assertEquals("more", seen.more());
    assertNull(seen.caller());
  }

  @Test void theClassFileReaderReadsAbstractMethodsAndRefusesWhatItCannotRead() throws IOException {
    assertEquals(9, DelegateClass.methods(Client.class).size(), "the default method counts, the private one not");
    List<String[]> methods = DelegateClass.methods(Service.class);
    assertEquals(2, methods.size());
    assertArrayEquals(new String[] {"caller", "()L" + Caller.class.getName().replace('.', '/') + ";"}, methods.get(0));
    assertNull(DelegateClass.methods(Extended.class), "superinterfaces: left to the JDK proxy");
    assertNull(DelegateClass.methods(UsersClient.class), "not an interface");
    assertNull(DelegateClass.methods(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0}));
    assertNull(DelegateClass.methods(new byte[] {1, 2, 3}));
  }

  /** Run in the watching loader: wraps a client and calls one of its services. */
  public static String wrapAndCallOneService() {
    Client seen = ClientProxy.of(Client.class, new UsersClient("a"), PROTOCOL);
    return seen.service().name();
  }

  @Test void seeingAClientLoadsNoTypeItsMethodsNameUntilOneIsCalled() throws Exception {
    try (WatchingClassLoader loader = new WatchingClassLoader(true)) {
      java.lang.reflect.Method call = loader.loadClass(DelegateClassTest.class.getName()).getMethod("wrapAndCallOneService");
      call.setAccessible(true); // a public method of a package-private class
      Object name = call.invoke(null);
      assertEquals("the service", name);
      assertTrue(loader.asked.contains(Service.class.getName()), "the service called is loaded");
      assertFalse(loader.asked.contains(Elsewhere.class.getName()), "the one never called is not (a JDK proxy loads it)");
    }
  }
}
