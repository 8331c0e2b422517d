package dev.llmobs.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden strings for the hand-written writer, hostile ones included. */
class JsonWriterTest {
  static String str(String s) {
    return new JsonWriter().string(s).toString();
  }

  @Test void escapesQuotesBackslashesAndControlCharacters() {
    assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\"", str("a\"b\\c\n\r\t\b\f\u0000\u001f"));
  }

  @Test void escapesLineAndParagraphSeparators() {
    assertEquals("\"\\u2028\\u2029\"", str("\u2028\u2029"));
  }

  @Test void writesMultiByteAndNonBmpCharactersAsUtf8() {
    String s = "é€\uD83D\uDE00";
    byte[] bytes = new JsonWriter().string(s).toByteArray();
    assertEquals("\"" + s + "\"", new String(bytes, StandardCharsets.UTF_8));
    assertEquals(2 + 2 + 3 + 4, bytes.length);
  }

  @Test void replacesLoneSurrogatesWithTheReplacementCharacter() {
    assertEquals("\"a\uFFFDb\uFFFD\"", str("a\uD800b\uDC00"));
    assertEquals("\"\uFFFD\"", str("\uD83D")); // high surrogate at the end
  }

  @ParameterizedTest
  @CsvSource({"0,0", "-1,-1", "1.5,1.5", "1e20,1.0E20", "-0.25,-0.25", "3.0,3", "0.312,0.312", "-0.5,-0.5", "1.001,1.001",
      "123456.789,123456.789", "0.05,0.05", "0.001,0.001", "0.0001,1.0E-4", "0.30000000000000004,0.30000000000000004",
      "1e13,10000000000000", "1234567890123.5,1.2345678901235E12", "-0.001,-0.001"})
  void writesNumbers(double in, String out) {
    assertEquals(out, new JsonWriter().number(in).toString());
  }

  @Test void everyDoubleReadsBackAsItself() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 200_000; i++) {
      double v = switch (i % 4) {
        case 0 -> random.nextInt(2_000_000_000) / 1000.0 - 1_000_000; // three decimals: the integer path
        case 1 -> random.nextLong() / 1e6 / 1000.0;
        case 2 -> Double.longBitsToDouble(random.nextLong());
        default -> random.nextDouble() * 1e9;
      };
      if (Double.isNaN(v) || Double.isInfinite(v)) continue;
      String out = new JsonWriter().number(v).toString();
      assertEquals(v, Double.parseDouble(out), out);
    }
  }

  @Test void writesNonFiniteDoublesAsStrings() {
    assertEquals("[\"NaN\",\"Infinity\",\"-Infinity\"]",
        new JsonWriter().value(List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)).toString());
  }

  @Test void writesLongExtremes() {
    assertEquals("-9223372036854775808", new JsonWriter().number(Long.MIN_VALUE).toString());
    assertEquals("18446744073709551615", new JsonWriter().unsignedNumber(-1L).toString());
  }

  @Test void writesJsonLikeValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "x");
    m.put("n", null);
    m.put("b", true);
    m.put("i", 7);
    m.put("big", new BigDecimal("1.10"));
    m.put("arr", new int[] {1, 2});
    m.put("objs", new Object[] {"a", 'c'});
    m.put("opt", Optional.of("o"));
    m.put("enum", Thread.State.NEW);
    m.put(null, "null key");
    assertEquals("{\"s\":\"x\",\"n\":null,\"b\":true,\"i\":7,\"big\":1.10,\"arr\":[1,2],\"objs\":[\"a\",\"c\"],"
        + "\"opt\":\"o\",\"enum\":\"NEW\",\"null\":\"null key\"}", new JsonWriter().value(m).toString());
  }

  @Test void marksCyclesInsteadOfRecursingForever() {
    Object[] arr = new Object[1];
    arr[0] = arr;
    assertEquals("[\"[cycle]\"]", new JsonWriter().value(arr).toString());
    List<Object> shared = List.of(1);
    assertEquals("[[1],[1]]", new JsonWriter().value(Arrays.asList(shared, shared)).toString(),
        "a value seen twice but not nested in itself is no cycle");
  }

  @Test void aThrowingToStringBecomesATypeMarker() {
    Object bad = new Object() {
      @Override public String toString() {
        throw new RuntimeException();
      }
    };
    assertEquals("[unserializable " + bad.getClass().getName() + "]", JsonWriter.safeToString(bad));
  }
}
