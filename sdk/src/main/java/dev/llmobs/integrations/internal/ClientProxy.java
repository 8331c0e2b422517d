package dev.llmobs.integrations.internal;

import dev.llmobs.LLMObs;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of an LLM SDK seen through its own interfaces: every method goes to the user's client unchanged; the
 * services it hands out are seen the same way; and the methods that are model calls open a {@link TappedCall} on
 * the caller's thread and name it to the transport: by that thread for a synchronous call (the SDK sends every
 * attempt on it), in a header of the request for an asynchronous one (sent and retried from the SDK's threads). The caller gets the very object or
 * exception the client returned: a proxy only ever adds a callback to a future, never replaces it. Not for use
 * outside llmobs-lambda.
 */
public final class ClientProxy implements InvocationHandler {
  private final Object target;
  private final Protocol protocol;
  private final Class<?> type;
  /** What each method of {@code type} is, asked of the protocol once: a {@link Site}, or {@link #NOT_A_CALL}. */
  private final Map<Method, Object> sites = new ConcurrentHashMap<>();
  /** The service each navigating method without arguments last returned, and our view of it (SDKs hand out one). */
  private final Map<Method, Object[]> services = new ConcurrentHashMap<>();

  private static final Object NOT_A_CALL = new Object();

  /** A model-call method: its operation, and whether it streams and answers later. */
  private static final class Site {
    final Operation op;
    final boolean streaming;
    final boolean async;

    Site(Operation op, Method m, Protocol protocol) {
      this.op = op;
      this.streaming = protocol.streams(m.getName());
      this.async = CompletionStage.class.isAssignableFrom(m.getReturnType()) || m.getReturnType().getSimpleName().startsWith("Async");
    }
  }

  private ClientProxy(Object target, Protocol protocol, Class<?> type) {
    this.target = target;
    this.protocol = protocol;
    this.type = type;
  }

  /** {@code target} seen through {@code type}, an interface of the SDK; the transport must be tapped already. */
  public static <T> T of(Class<T> type, T target, Protocol protocol) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new ClientProxy(target, protocol, type)));
  }

  /** Whether {@code o} is one of ours (a client wrapped twice is wrapped once). */
  public static boolean isProxy(Object o) {
    return o != null && Proxy.isProxyClass(o.getClass()) && Proxy.getInvocationHandler(o) instanceof ClientProxy;
  }

  @Override public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
    if (m.getDeclaringClass() == Object.class) {
      switch (m.getName()) {
        case "equals": return args[0] == proxy || target.equals(args[0]);
        case "hashCode": return target.hashCode();
        case "toString": return target.toString();
        default:
      }
    }
    Site site = args == null || args.length == 0 || args[0] == null || !LLMObs.isEnabled() ? null : site(m);
    if (site != null) return traced(site, m, args);
    Object result = call(m, args);
    if (result == null || isProxy(result)) return result;
    boolean plain = args == null || args.length == 0;
    Object[] seen = plain ? services.get(m) : null;
    if (seen != null && seen[0] == result) return seen[1];
    Class<?> r = m.getReturnType();
    if (!r.isInterface() || !protocol.navigates(r)) return result;
    Object view = of(cast(r), result, protocol);
    if (plain) services.put(m, new Object[] {result, view});
    return view;
  }

  @SuppressWarnings("unchecked")
  private static Class<Object> cast(Class<?> c) {
    return (Class<Object>) c;
  }

  private Site site(Method m) {
    Object known = sites.get(m);
    if (known == null) {
      Operation op;
      try {
        op = protocol.ofMethod(type, m.getName());
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
        op = null;
      }
      known = op == null ? NOT_A_CALL : new Site(op, m, protocol);
      sites.put(m, known);
    }
    return known == NOT_A_CALL ? null : (Site) known;
  }

  private Object call(Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private Object traced(Site site, Method m, Object[] args) throws Throwable {
    boolean streaming = site.streaming;
    boolean async = site.async;
    TappedCall call;
    Object[] named;
    try {
      call = Tap.open(site.op, true, streaming, async);
      if (async) { // sent from the SDK's threads: the call is named in a header of the request
        named = args.clone();
        named[0] = Headers.add(args[0], Tap.HEADER, call.id);
      } else {
        named = args;
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.debug(protocol.sdk() + " call not traced: " + t);
      return call(m, args);
    }
    Object result;
    TappedCall before = async ? null : Tap.enter(call); // sent on this thread: the call is named by it
    try {
      result = m.invoke(target, named);
    } catch (InvocationTargetException e) {
      call.end(e.getCause());
      throw e.getCause();
    } catch (Throwable t) { // the reflective call itself failed: the user's call was not made; make it as it was
      Throwables.propagateIfFatal(t);
      call.end(null);
      return call(m, args);
    } finally {
      if (!async) Tap.leave(before);
    }
    try {
      if (result instanceof CompletableFuture) {
        ((CompletableFuture<?>) result).whenComplete((v, e) -> {
          if (e != null || !streaming) call.end(unwrap(e));
        });
      } else if (streaming && async) {
        Object done = result.getClass().getMethod("onCompleteFuture").invoke(result);
        if (done instanceof CompletableFuture) {
          ((CompletableFuture<?>) done).whenComplete((v, e) -> {
            if (e != null) call.end(unwrap(e));
          });
        }
      } else if (!streaming) {
        call.end(null);
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.debug(protocol.sdk() + " call end not watched: " + t);
    }
    return result;
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
