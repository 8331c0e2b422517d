package dev.llmobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * The user's real handler, found the way the Java runtime finds it: {@code pkg.Class} implementing
 * {@code RequestStreamHandler} or {@code RequestHandler<I, O>}, or {@code pkg.Class::method} with any signature the
 * runtime accepts. Built once at Init; {@link #invoke} then runs it with the runtime's conversions.
 */
abstract class HandlerTarget {
  private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.US_ASCII);

  /** Runs the handler on the event; writes the response to {@code out}; throws what the handler throws. */
  abstract void invoke(InputStream in, OutputStream out, Context context) throws Throwable;

  static HandlerTarget load(String handler, ClassLoader loader) throws ReflectiveOperationException {
    if (handler == null || handler.isBlank()) {
      throw new IllegalStateException("no handler to redirect to: set DD_LAMBDA_HANDLER (or LLMOBS_LAMBDA_HANDLER)"
          + " to your handler, e.g. com.example.Handler or com.example.Handler::handleRequest");
    }
    String className = handler.trim(), methodName = null;
    int sep = className.indexOf("::");
    if (sep >= 0) {
      methodName = className.substring(sep + 2);
      className = className.substring(0, sep);
    }
    Class<?> cls = Class.forName(className, true, loader);
    if (methodName == null) { // as the runtime: a bare class name means the handler interfaces
      if (RequestStreamHandler.class.isAssignableFrom(cls)) {
        RequestStreamHandler h = (RequestStreamHandler) newInstance(cls);
        return new HandlerTarget() {
          @Override void invoke(InputStream in, OutputStream out, Context context) throws Throwable {
            h.handleRequest(in, out, context);
          }
        };
      }
      if (RequestHandler.class.isAssignableFrom(cls)) {
        Type[] types = requestHandlerTypes(cls);
        RequestHandler<?, ?> h = (RequestHandler<?, ?>) newInstance(cls);
        return pojo(h, null, types[0], types[1], true, loader);
      }
      throw new IllegalStateException("Class does not implement an appropriate handler interface: " + className);
    }
    return method(cls, methodName, loader);
  }

  private static Object newInstance(Class<?> cls) throws ReflectiveOperationException {
    Constructor<?> c;
    try {
      c = cls.getConstructor();
    } catch (NoSuchMethodException e) {
      if (cls.getEnclosingClass() != null && !Modifier.isStatic(cls.getModifiers())) {
        throw new IllegalStateException("Class " + cls.getName() + " cannot be instantiated because it is a non-static inner class");
      }
      throw new IllegalStateException("Class " + cls.getName() + " has no public zero-argument constructor", e);
    }
    try {
      return c.newInstance();
    } catch (InvocationTargetException e) {
      throw LLMObsLambda.Sneaky.<RuntimeException>rethrow(e.getCause() != null ? e.getCause() : e);
    }
  }

  /** {@code I} and {@code O} of {@code RequestHandler<I, O>}, found breadth-first as the runtime does. */
  static Type[] requestHandlerTypes(Class<?> cls) {
    Deque<Type> queue = new ArrayDeque<>();
    queue.add(cls);
    List<Type[]> bindings = new ArrayList<>();
    while (!queue.isEmpty()) {
      Type t = queue.poll();
      Class<?> raw = Codec.rawClass(t);
      if (raw == null) continue;
      if (t instanceof ParameterizedType && raw == RequestHandler.class) {
        Type[] args = ((ParameterizedType) t).getActualTypeArguments().clone();
        for (int i = 0; i < args.length; i++) args[i] = resolve(args[i], cls);
        for (Type a : args) {
          if (a instanceof TypeVariable && !hasBound((TypeVariable<?>) a)) {
            throw new IllegalStateException("Class " + cls.getName()
                + " does not implement RequestHandler with concrete type parameters: parameter " + a + " has no upper bound.");
          }
        }
        return args;
      }
      queue.addAll(Arrays.asList(raw.getGenericInterfaces()));
      if (raw.getGenericSuperclass() != null) queue.add(raw.getGenericSuperclass());
    }
    throw new IllegalStateException("Class " + cls.getName() + " does not implement RequestHandler with concrete type parameters");
  }

  /** Resolves a type variable of a supertype against the concrete class's declarations. */
  private static Type resolve(Type arg, Class<?> leaf) {
    if (!(arg instanceof TypeVariable)) return arg;
    TypeVariable<?> var = (TypeVariable<?>) arg;
    // Walk from the leaf up, substituting variables declared by generic superclasses and interfaces.
    Type resolved = resolveIn(leaf, var);
    return resolved != null ? resolved : arg;
  }

  private static Type resolveIn(Class<?> cls, TypeVariable<?> var) {
    List<Type> supers = new ArrayList<>(Arrays.asList(cls.getGenericInterfaces()));
    if (cls.getGenericSuperclass() != null) supers.add(cls.getGenericSuperclass());
    for (Type s : supers) {
      if (!(s instanceof ParameterizedType)) {
        Class<?> raw = Codec.rawClass(s);
        if (raw != null) {
          Type r = resolveIn(raw, var);
          if (r != null) return r;
        }
        continue;
      }
      ParameterizedType p = (ParameterizedType) s;
      Class<?> raw = (Class<?>) p.getRawType();
      TypeVariable<?>[] params = raw.getTypeParameters();
      for (int i = 0; i < params.length; i++) {
        if (params[i].equals(var)) return p.getActualTypeArguments()[i];
      }
      Type deeper = resolveIn(raw, var);
      if (deeper instanceof TypeVariable) {
        for (int i = 0; i < params.length; i++) {
          if (params[i].equals(deeper)) return p.getActualTypeArguments()[i];
        }
      } else if (deeper != null) {
        return deeper;
      }
    }
    return null;
  }

  private static boolean hasBound(TypeVariable<?> v) {
    for (Type b : v.getBounds()) if (!Object.class.equals(b)) return true;
    return false;
  }

  /** {@code Class::method}: the public method of that name the runtime would pick. */
  private static HandlerTarget method(Class<?> cls, String name, ClassLoader loader) throws ReflectiveOperationException {
    List<Method> candidates = new ArrayList<>();
    for (Method m : cls.getMethods()) if (m.getName().equals(name)) candidates.add(m);
    candidates.sort(PRIORITY);
    for (Method m : candidates) {
      HandlerTarget t = forOverload(cls, m, loader);
      if (t != null) return t;
    }
    throw new IllegalStateException("No public method named " + name
        + " with appropriate method signature found on class " + cls.getName());
  }

  /** Non-bridge first, then the longest signature, a trailing Context counting one extra: the runtime's order. */
  private static final Comparator<Method> PRIORITY = new Comparator<Method>() {
    @Override public int compare(Method a, Method b) {
      if (a.isBridge() != b.isBridge()) return a.isBridge() ? 1 : -1;
      return Integer.compare(weight(b), weight(a));
    }

    private int weight(Method m) {
      Class<?>[] p = m.getParameterTypes();
      return p.length + (p.length > 0 && p[p.length - 1] == Context.class ? 1 : 0);
    }
  };

  private static HandlerTarget forOverload(Class<?> cls, Method m, ClassLoader loader) throws ReflectiveOperationException {
    Type[] p = m.getGenericParameterTypes();
    Type r = m.getGenericReturnType();
    switch (p.length) {
      case 0:
        return pojo(null, m, null, r, false, loader);
      case 1:
        if (p[0] == InputStream.class) return stream(m, true, false, false);
        if (p[0] == OutputStream.class) return stream(m, false, true, false);
        if (p[0] == Context.class) return pojoWithContextOnly(m, r, loader);
        return pojo(null, m, p[0], r, false, loader);
      case 2:
        if (p[0] == OutputStream.class) return p[1] == Context.class ? stream(m, false, true, true) : null;
        if (p[0] == Context.class) return null;
        if (p[0] == InputStream.class) {
          if (p[1] == OutputStream.class) return stream(m, true, true, false);
          return p[1] == Context.class ? stream(m, true, false, true) : null;
        }
        return p[1] == Context.class ? pojo(null, m, p[0], r, true, loader) : null;
      case 3:
        return p[0] == InputStream.class && p[1] == OutputStream.class && p[2] == Context.class
            ? stream(m, true, true, true) : null;
      default:
        return null;
    }
  }

  private static Object instanceFor(Method m) throws ReflectiveOperationException {
    return Modifier.isStatic(m.getModifiers()) ? null : newInstance(m.getDeclaringClass());
  }

  private static HandlerTarget stream(Method m, boolean in, boolean out, boolean ctx) throws ReflectiveOperationException {
    Object instance = instanceFor(m);
    return new HandlerTarget() {
      @Override void invoke(InputStream input, OutputStream output, Context context) throws Throwable {
        Object[] args = new Object[(in ? 1 : 0) + (out ? 1 : 0) + (ctx ? 1 : 0)];
        int i = 0;
        if (in) args[i++] = input;
        if (out) args[i++] = output;
        if (ctx) args[i] = context;
        call(m, instance, args);
      }
    };
  }

  private static HandlerTarget pojoWithContextOnly(Method m, Type r, ClassLoader loader) throws ReflectiveOperationException {
    Object instance = instanceFor(m);
    Codec outCodec = isVoid(r) ? null : Codec.forType(r, loader);
    return new HandlerTarget() {
      @Override void invoke(InputStream input, OutputStream output, Context context) throws Throwable {
        Object result = call(m, instance, new Object[] {context});
        writeResult(outCodec, result, output);
      }
    };
  }

  /**
   * A POJO handler: the event is read with the input type's codec (none when there is no input parameter), the
   * result written with the output type's ("null" for void), as the runtime does.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static HandlerTarget pojo(RequestHandler handler, Method m, Type inType, Type outType, boolean withContext,
      ClassLoader loader) throws ReflectiveOperationException {
    Object instance = m == null ? null : instanceFor(m);
    Codec inCodec = inType == null ? null : Codec.forType(inType, loader);
    Codec outCodec = isVoid(outType) ? null : Codec.forType(outType, loader);
    return new HandlerTarget() {
      @Override void invoke(InputStream input, OutputStream output, Context context) throws Throwable {
        Object event = null;
        if (inCodec != null) {
          try {
            event = inCodec.read(input);
          } catch (Throwable t) {
            throw new RuntimeException("An error occurred during JSON parsing", t);
          }
        }
        Object result;
        if (handler != null) {
          result = handler.handleRequest(event, context);
        } else {
          Object[] args = inType == null ? new Object[0] : withContext ? new Object[] {event, context} : new Object[] {event};
          result = call(m, instance, args);
        }
        writeResult(outCodec, result, output);
      }
    };
  }

  private static void writeResult(Codec outCodec, Object result, OutputStream output) throws java.io.IOException {
    if (outCodec == null) {
      output.write(JSON_NULL);
      return;
    }
    try {
      outCodec.write(result, output);
    } catch (Throwable t) {
      throw new RuntimeException("An error occurred during JSON serialization of response", t);
    }
  }

  private static boolean isVoid(Type t) {
    return t == void.class || t == Void.class;
  }

  /** Invokes reflectively and rethrows the handler's own throwable, not the reflection wrapper. */
  private static Object call(Method m, Object instance, Object[] args) throws Throwable {
    try {
      return m.invoke(instance, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() != null ? e.getCause() : e;
    }
  }
}
