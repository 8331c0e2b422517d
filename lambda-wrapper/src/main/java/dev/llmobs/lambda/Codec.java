package dev.llmobs.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Converts events and responses exactly as the Java runtime does, with the runtime's own serialization library
 * ({@code aws-lambda-java-serialization}, on the runtime's class path), in the runtime's order:
 * <ol>
 *   <li>a {@code CustomPojoSerializer} the function registers through {@code ServiceLoader};</li>
 *   <li>for aws-lambda-java-events types, {@code LambdaEventSerializers} (Jackson with Lambda's mix-ins, so S3, SQS,
 *       DynamoDB events keep every field);</li>
 *   <li>otherwise the runtime's {@code JacksonFactory}.</li>
 * </ol>
 * Only API present in the oldest copy a runtime ships (1.1.2) is used. The runtime's Android (Gson) path for
 * mobile-SDK callers is not reproduced.
 */
abstract class Codec {
  abstract Object read(InputStream in);

  abstract void write(Object value, OutputStream out);

  static Codec forType(Type type, ClassLoader loader) {
    Codec custom = custom(type, loader);
    if (custom != null) return custom;
    Class<?> raw = rawClass(type);
    if (raw != null && LambdaEventSerializers.isLambdaSupportedEvent(raw.getName())) {
      return of(LambdaEventSerializers.serializerFor(raw, loader));
    }
    return of(JacksonFactory.getInstance().getSerializer(type));
  }

  @SuppressWarnings("unchecked")
  private static Codec of(PojoSerializer<?> serializer) {
    PojoSerializer<Object> s = (PojoSerializer<Object>) serializer;
    return new Codec() {
      @Override Object read(InputStream in) {
        return s.fromJson(in);
      }

      @Override void write(Object value, OutputStream out) {
        s.toJson(value, out);
      }
    };
  }

  private static Codec custom(Type type, ClassLoader loader) {
    try {
      Iterator<com.amazonaws.services.lambda.runtime.CustomPojoSerializer> it =
          ServiceLoader.load(com.amazonaws.services.lambda.runtime.CustomPojoSerializer.class, loader).iterator();
      if (!it.hasNext()) return null;
      com.amazonaws.services.lambda.runtime.CustomPojoSerializer s = it.next();
      if (it.hasNext()) {
        throw new IllegalStateException("more than one CustomPojoSerializer is registered; the runtime refuses that too");
      }
      return new Codec() {
        @Override Object read(InputStream in) {
          return s.fromJson(in, type);
        }

        @Override void write(Object value, OutputStream out) {
          s.toJson(value, out, type);
        }
      };
    } catch (NoClassDefFoundError e) {
      return null; // a runtime whose aws-lambda-java-core predates CustomPojoSerializer
    }
  }

  static Class<?> rawClass(Type t) {
    if (t instanceof Class) return (Class<?>) t;
    if (t instanceof ParameterizedType) return rawClass(((ParameterizedType) t).getRawType());
    return null;
  }
}
