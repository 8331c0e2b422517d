package dev.llmobs.integrations.internal;

import java.lang.reflect.Method;

/**
 * Adds a header to a Stainless SDK's request parameters ({@code toBuilder().putAdditionalHeader(..).build()}, the
 * same in openai-java and anthropic-java), with the methods looked up once per parameters class.
 */
final class Headers {
  private Headers() {}

  private static final ClassValue<Method[]> METHODS = new ClassValue<>() {
    @Override protected Method[] computeValue(Class<?> params) {
      try {
        Method toBuilder = params.getMethod("toBuilder");
        Class<?> b = toBuilder.getReturnType();
        return new Method[] {toBuilder, b.getMethod("putAdditionalHeader", String.class, String.class), b.getMethod("build")};
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  };

  /** The same parameters with one more header; throws when the class has no such builder (then no header). */
  static Object add(Object params, String name, String value) throws ReflectiveOperationException {
    Method[] m = METHODS.get(params.getClass());
    if (m == null) throw new NoSuchMethodException(params.getClass().getName() + ".toBuilder().putAdditionalHeader");
    Object builder = m[0].invoke(params);
    m[1].invoke(builder, name, value);
    return m[2].invoke(builder);
  }
}
