package dev.llmobs.internal.json;

import dev.llmobs.internal.Throwables;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A growable UTF-8 JSON byte buffer. Callers write the punctuation; this class writes strings, numbers and
 * arbitrary JSON-like values correctly.
 *
 * <p>Design note: hand-written because the first use of a JSON library costs 70 to 100 ms of a cold
 * start (see RATIONALE.md). Decisions a reader may question:
 * <ul>
 *   <li>a lone surrogate is written as U+FFFD, so the output is always valid UTF-8;</li>
 *   <li>U+2028 and U+2029 are escaped, so the output is also safe inside JavaScript;</li>
 *   <li>a non-finite double is written as the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}:
 *       JSON has no such numbers, and the information is kept;</li>
 *   <li>objects that are not plain JSON (POJOs) go through jackson-jr, loaded only then; a failure falls back to
 *       {@code toString()}, then to a marker naming the type, so a value never throws.</li>
 * </ul>
 */
public final class JsonWriter {
  /**
   * Containers more than this many levels below {@code meta} are written as their JSON text, as Datadog's Python SDK
   * does ({@code _MAX_NESTED_META_DEPTH}).
   */
  public static final int MAX_NESTING = 12;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int HARD_DEPTH_LIMIT = 64;

  private byte[] buf;
  private int size;
  private IdentityHashMap<Object, Boolean> inProgress; // cycle guard, created on first container
  private int unreadableNumbers;
  private char[] chars; // scratch copy of the string being written

  public JsonWriter() {
    this(512);
  }

  public JsonWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public int size() {
    return size;
  }

  public void reset() {
    size = 0;
  }

  /** The bytes it can hold before growing. */
  public int capacity() { return buf.length; }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  public String toString() {
    return new String(buf, 0, size, StandardCharsets.UTF_8);
  }

  private void ensure(int more) {
    int needed = size + more;
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }
  }

  public JsonWriter raw(char c) {
    ensure(1);
    buf[size++] = (byte) c;
    return this;
  }

  /**
   * Writes ASCII punctuation or a pre-escaped key such as {@code "name":}; not for user text. Copied by the JDK's own
   * (early compiled) code: a warm Lambda runs our code interpreted for its first hundreds of invocations.
   */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the low byte of each char, exactly ASCII's
  public JsonWriter raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    ascii.getBytes(0, n, buf, size);
    size += n;
    return this;
  }

  public JsonWriter raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
    return this;
  }

  /** Writes {@code "key":} with the key escaped. */
  public JsonWriter key(String key) {
    string(key);
    return raw(':');
  }

  public JsonWriter number(long v) {
    if (v == Long.MIN_VALUE) return raw("-9223372036854775808");
    ensure(20);
    if (v < 0) {
      buf[size++] = '-';
      v = -v;
    }
    int start = size;
    do {
      buf[size++] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    for (int i = start, j = size - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
    return this;
  }

  /** Writes an unsigned 64-bit value in decimal. */
  public JsonWriter unsignedNumber(long v) {
    if (v >= 0) return number(v);
    return raw(Long.toUnsignedString(v));
  }

  public JsonWriter number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return string(Double.toString(v));
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return number((long) v);
    if (Math.abs(v) < 1e12) {
      // Three decimals at most (milliseconds to the microsecond, a rate): written from integers, without the JDK's
      // shortest-digits code, which costs while it still runs interpreted. Exact: v is the double nearest r / 1000
      // (the division rounds correctly), so the decimal r / 1000 reads back as v.
      double r = Math.rint(v * 1000);
      if (r / 1000 == v) return thousandths((long) r);
    }
    return raw(Double.toString(v));
  }

  /** {@code t / 1000} in decimal, {@code t} not a multiple of 1000: no trailing zeros. */
  private JsonWriter thousandths(long t) {
    if (t < 0) raw('-');
    number(Math.abs(t) / 1000).raw('.');
    for (int f = (int) Math.abs(t % 1000), div = 100; f != 0; f %= div, div /= 10) raw((char) ('0' + f / div));
    return this;
  }

  /**
   * Writes a quoted, escaped string; {@code null} becomes {@code null}. The characters are first copied into a scratch
   * array by the JDK's own code and read from there: the loop then makes no call per character, which is what costs
   * while this code still runs interpreted (a warm Lambda's first hundreds of invocations).
   */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) on an ASCII prefix
  public JsonWriter string(CharSequence s) {
    if (s == null) return raw("null");
    String str = s.toString();
    int n = str.length();
    if (chars == null || chars.length < n) chars = new char[Math.max(n, 256)];
    char[] cs = chars;
    str.getChars(0, n, cs, 0);
    ensure(n + 2);
    buf[size++] = '"';
    int plain = 0; // the prefix that needs no escaping and is ASCII: copied at once, by the JDK
    while (plain < n) {
      char c = cs[plain];
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      plain++;
    }
    str.getBytes(0, plain, buf, size);
    size += plain;
    for (int i = plain; i < n; i++) {
      char c = cs[i];
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          if (size == buf.length) ensure(1 + (n - i));
          buf[size++] = (byte) c;
        } else {
          escapeAscii(c);
        }
      } else if (c < 0x800) {
        ensure(2 + (n - i));
        buf[size++] = (byte) (0xc0 | (c >> 6));
        buf[size++] = (byte) (0x80 | (c & 0x3f));
      } else if (c == '\u2028' || c == '\u2029') {
        ensure(6 + (n - i));
        unicodeEscape(c);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(cs[i + 1])) {
        int cp = Character.toCodePoint(c, cs[++i]);
        ensure(4 + (n - i));
        buf[size++] = (byte) (0xf0 | (cp >> 18));
        buf[size++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        buf[size++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        buf[size++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        if (Character.isSurrogate(c)) c = '\ufffd'; // lone surrogate
        ensure(3 + (n - i));
        buf[size++] = (byte) (0xe0 | (c >> 12));
        buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[size++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    ensure(1);
    buf[size++] = '"';
    return this;
  }

  private void escapeAscii(char c) {
    ensure(6);
    buf[size++] = '\\';
    switch (c) {
      case '"': buf[size++] = '"'; return;
      case '\\': buf[size++] = '\\'; return;
      case '\n': buf[size++] = 'n'; return;
      case '\r': buf[size++] = 'r'; return;
      case '\t': buf[size++] = 't'; return;
      case '\b': buf[size++] = 'b'; return;
      case '\f': buf[size++] = 'f'; return;
      default:
        size--;
        unicodeEscape(c);
    }
  }

  private void unicodeEscape(char c) {
    ensure(6);
    buf[size++] = '\\';
    buf[size++] = 'u';
    buf[size++] = HEX[(c >> 12) & 0xf];
    buf[size++] = HEX[(c >> 8) & 0xf];
    buf[size++] = HEX[(c >> 4) & 0xf];
    buf[size++] = HEX[c & 0xf];
  }

  /**
   * Writes any JSON-like value: null, strings, numbers, booleans, enums, maps (keys as strings), iterables,
   * arrays and Optionals natively; anything else through jackson-jr. Never throws for a user value.
   */
  public JsonWriter value(Object v) {
    value(v, 1, 0);
    return this;
  }

  /**
   * Writes {@code v}, a value that stands {@code levels} containers below {@code meta} on the wire (a metadata
   * value: 2), so that the nesting limit is measured from {@code meta}, not from the value.
   */
  public JsonWriter valueBelow(Object v, int levels) {
    value(v, levels, 0);
    return this;
  }

  /**
   * How many numbers were written as strings because JSON consumers cannot read them as doubles (NaN, infinities,
   * and big numbers out of a double's range): the caller says so once.
   */
  public int unreadableNumbers() {
    return unreadableNumbers;
  }

  /**
   * @param depth containers enclosing this value in the current document
   * @param absolute containers enclosing it in the user's object, which never resets: bounds recursion
   */
  private void value(Object v, int depth, int absolute) {
    if (v == null) {
      raw("null");
    } else if (v instanceof CharSequence) {
      string((CharSequence) v);
    } else if (v instanceof Raw) {
      raw(((Raw) v).utf8());
    } else if (v instanceof Boolean) {
      raw(((Boolean) v) ? "true" : "false");
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      number(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) unreadableNumbers++;
      number(d);
    } else if (v instanceof BigInteger || v instanceof BigDecimal) {
      if (Double.isInfinite(((Number) v).doubleValue())) {
        unreadableNumbers++;
        string(v.toString()); // beyond a double's range: JSON readers would fail or read infinity
      } else {
        raw(v.toString());
      }
    } else if (v instanceof Number) {
      number(((Number) v).doubleValue());
    } else if (v instanceof Character || v instanceof Enum) {
      string(v.toString());
    } else if (v instanceof Optional) {
      value(((Optional<?>) v).orElse(null), depth, absolute);
    } else if (v instanceof Map || v instanceof Iterable || v.getClass().isArray()) {
      container(v, depth, absolute);
    } else {
      pojo(v);
    }
  }

  private void container(Object v, int depth, int absolute) {
    if (absolute >= HARD_DEPTH_LIMIT) {
      string("[max depth]");
      return;
    }
    if (inProgress == null) inProgress = new IdentityHashMap<>();
    if (depth > MAX_NESTING) {
      // Deep structures break the intake's parser: send the subtree as its JSON text instead.
      JsonWriter inner = new JsonWriter(64);
      inner.inProgress = inProgress;
      inner.container(v, 0, absolute);
      string(inner.toString());
      return;
    }
    if (inProgress.put(v, Boolean.TRUE) != null) {
      string("[cycle]");
      return;
    }
    try {
      if (v instanceof Map) {
        raw('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          if (!first) raw(',');
          first = false;
          key(safeToString(e.getKey()));
          value(e.getValue(), depth + 1, absolute + 1);
        }
        raw('}');
      } else {
        raw('[');
        if (v instanceof Iterable) {
          Iterator<?> it = ((Iterable<?>) v).iterator();
          boolean first = true;
          while (it.hasNext()) {
            if (!first) raw(',');
            first = false;
            value(it.next(), depth + 1, absolute + 1);
          }
        } else {
          int n = Array.getLength(v);
          for (int i = 0; i < n; i++) {
            if (i > 0) raw(',');
            value(Array.get(v, i), depth + 1, absolute + 1);
          }
        }
        raw(']');
      }
    } finally {
      inProgress.remove(v);
    }
  }

  private void pojo(Object v) {
    int mark = size;
    try {
      raw(JacksonJr.write(v));
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      size = mark;
      string(safeToString(v));
    }
  }

  /** {@code String.valueOf} that never throws: a throwing {@code toString()} becomes a marker naming the type. */
  public static String safeToString(Object o) {
    if (o == null) return "null";
    try {
      String s = o.toString();
      return s != null ? s : "null";
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return "[unserializable " + o.getClass().getName() + "]";
    }
  }

  /** Isolates jackson-jr so that its classes load only when a POJO is first written. */
  static final class JacksonJr {
    private static final com.fasterxml.jackson.jr.ob.JSON JSON = com.fasterxml.jackson.jr.ob.JSON.std;

    static byte[] write(Object v) throws java.io.IOException {
      return JSON.asBytes(v);
    }
  }

  /** A value that is already JSON text: written as it is. */
  public interface Raw {
    /** Its UTF-8 bytes. */
    byte[] utf8();
  }
}
