package dev.llmobs.internal.json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON document from UTF-8 bytes into maps (in document order), lists, strings, numbers ({@code Integer},
 * {@code Long} or {@code BigInteger}; {@code Double}), booleans and nulls: the shapes jackson-jr gives, for the model
 * bodies our integrations read on every call. A reader of our own because those bodies are read on the caller's
 * time: this one makes no parser, reader or buffer objects per document, copies a string without escapes in one
 * step, and loads nothing on a function's first call. Anything that is not one JSON value (bad syntax, nesting
 * deeper than {@link #MAX_DEPTH}, text after the value) is {@code null}, never an exception.
 */
public final class JsonReader {
  /** Deeper documents are refused rather than risk the stack; no model body comes close. */
  static final int MAX_DEPTH = 512;
  private static final int KEY_SLOTS = 512;
  private static final int MAX_KEPT_KEY = 32;

  private final byte[] b;
  private int i;

  private JsonReader(byte[] b) {
    this.b = b;
  }

  /** The value {@code bytes} hold, or null when they are not one JSON value. */
  public static Object read(byte[] bytes) {
    if (bytes == null) return null;
    try {
      JsonReader r = new JsonReader(bytes);
      Object v = r.value(0);
      r.space();
      return r.i == bytes.length ? v : null;
    } catch (Malformed | IndexOutOfBoundsException | NumberFormatException e) {
      return null;
    }
  }

  /** Thrown inside the reader only: cheap, no stack. */
  private static final class Malformed extends RuntimeException {
    Malformed() {
      super(null, null, false, false);
    }
  }

  private static final Malformed MALFORMED = new Malformed();

  private Object value(int depth) {
    if (depth > MAX_DEPTH) throw MALFORMED;
    space();
    byte c = b[i];
    switch (c) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return string();
      case 't': return literal("true", Boolean.TRUE);
      case 'f': return literal("false", Boolean.FALSE);
      case 'n': return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw MALFORMED;
    }
  }

  private Map<String, Object> object(int depth) {
    i++;
    Map<String, Object> m = new LinkedHashMap<>();
    space();
    if (b[i] == '}') {
      i++;
      return m;
    }
    while (true) {
      space();
      if (b[i] != '"') throw MALFORMED;
      String key = key();
      space();
      if (b[i++] != ':') throw MALFORMED;
      m.put(key, value(depth + 1));
      space();
      byte c = b[i++];
      if (c == '}') return m;
      if (c != ',') throw MALFORMED;
    }
  }

  private List<Object> array(int depth) {
    i++;
    List<Object> l = new ArrayList<>();
    space();
    if (b[i] == ']') {
      i++;
      return l;
    }
    while (true) {
      l.add(value(depth + 1));
      space();
      byte c = b[i++];
      if (c == ']') return l;
      if (c != ',') throw MALFORMED;
    }
  }

  /**
   * Keys recur from one body to the next ({@code role}, {@code content}, {@code usage}...): a short ASCII key is
   * taken from this table when the same bytes were read before, so it costs neither a new string nor its hash (a
   * string keeps its hash once computed). Racy on purpose: a slot holds an immutable string or null, and a lost
   * write only costs a later miss. Bounded: {@link #KEY_SLOTS} keys of at most {@link #MAX_KEPT_KEY} bytes.
   */
  private static final String[] KEYS = new String[KEY_SLOTS];

  /** A key at {@code i} (on its opening quote): from {@link #KEYS} when it was read before, else as any string. */
  private String key() {
    int start = i + 1, h = 0, end = start;
    for (int max = Math.min(b.length, start + MAX_KEPT_KEY + 1); end < max; end++) {
      byte c = b[end];
      if (c == '"') break;
      if (c == '\\' || c < 0x20) return string(); // escapes, controls and non-ASCII (negative bytes): the long way
      h = 31 * h + c;
    }
    if (end >= b.length || b[end] != '"' || end - start > MAX_KEPT_KEY) return string();
    int slot = (h ^ (h >>> 9)) & (KEY_SLOTS - 1);
    String kept = KEYS[slot];
    int n = end - start;
    i = end + 1;
    if (kept != null && kept.length() == n && sameAscii(kept, start)) return kept;
    String key = new String(b, start, n, StandardCharsets.ISO_8859_1);
    KEYS[slot] = key;
    return key;
  }

  private boolean sameAscii(String s, int at) {
    for (int k = 0, n = s.length(); k < n; k++) {
      if (s.charAt(k) != b[at + k]) return false;
    }
    return true;
  }

  private String string() {
    int start = ++i;
    while (true) { // the common case: no escapes, copied in one step
      byte c = b[i];
      if (c == '"') {
        i++;
        return new String(b, start, i - 1 - start, StandardCharsets.UTF_8);
      }
      if (c == '\\') break;
      if ((c & 0xff) < 0x20) throw MALFORMED;
      i++;
    }
    StringBuilder s = new StringBuilder(i - start + 16);
    s.append(new String(b, start, i - start, StandardCharsets.UTF_8));
    while (true) {
      byte c = b[i];
      if (c == '"') {
        i++;
        return s.toString();
      }
      if (c == '\\') {
        escape(s);
        continue;
      }
      int run = i;
      while (b[i] != '"' && b[i] != '\\') {
        if ((b[i] & 0xff) < 0x20) throw MALFORMED;
        i++;
      }
      s.append(new String(b, run, i - run, StandardCharsets.UTF_8));
    }
  }

  private void escape(StringBuilder s) {
    byte e = b[i + 1];
    i += 2;
    switch (e) {
      case '"': s.append('"'); break;
      case '\\': s.append('\\'); break;
      case '/': s.append('/'); break;
      case 'b': s.append('\b'); break;
      case 'f': s.append('\f'); break;
      case 'n': s.append('\n'); break;
      case 'r': s.append('\r'); break;
      case 't': s.append('\t'); break;
      case 'u':
        int v = 0;
        for (int k = 0; k < 4; k++) {
          int d = Character.digit(b[i++], 16);
          if (d < 0) throw MALFORMED;
          v = v * 16 + d;
        }
        s.append((char) v);
        break;
      default: throw MALFORMED;
    }
  }

  private Object number() {
    int start = i;
    boolean negative = b[i] == '-';
    if (negative) i++;
    long v = 0;
    int digits = 0;
    while (i < b.length && b[i] >= '0' && b[i] <= '9') {
      v = v * 10 + (b[i++] - '0');
      digits++;
    }
    if (digits == 0) throw MALFORMED;
    boolean integral = true;
    while (i < b.length) { // a fraction or an exponent: read as the JDK reads a double
      byte c = b[i];
      if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        i++;
      } else {
        break;
      }
    }
    if (integral && digits <= 18) {
      if (negative) v = -v;
      return v == (int) v ? (Object) (int) v : (Object) v;
    }
    String text = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
    if (!integral) return Double.parseDouble(text);
    BigInteger big = new BigInteger(text);
    return big.bitLength() < 64 ? (Object) big.longValue() : big;
  }

  private Object literal(String word, Object v) {
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) throw MALFORMED;
    }
    i += word.length();
    return v;
  }

  private void space() {
    while (i < b.length) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      i++;
    }
  }
}
