package dev.llmobs.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.jr.ob.JSON;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The model bodies' reader gives what jackson-jr gives, and null (never an exception) for what is not JSON. */
class JsonReaderTest {
  static Object read(String json) {
    return JsonReader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Covered by 4.2.\"}],"
          + "\"model\":\"claude-sonnet-4-5\",\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":130,\"output_tokens\":12}}",
      "{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"top_p\":1e-3,\"seed\":-42,\"logit_bias\":{\"50256\":-100},"
          + "\"n\":12345678901,\"big\":123456789012345678901234567890,\"stop\":null,\"stream\":false,\"store\":true}",
      " [ 1 , -0 , 2.5E+3 , \"\" , [ ] , { } , [[[]]] ] \n",
      "\"caf\u00e9 \u2014 \ud83d\ude00 \\u00e9\\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"",
      "{\"a\":{\"b\":{\"c\":[{\"d\":\"\u65e5\u672c\u8a9e\"}]}}}",
      "{\"caf\u00e9\":1,\"k\\u00e9y\":2,\"q\\\"\":3,\"\":4,\"12345678901234567890123456789012\":5,"
          + "\"123456789012345678901234567890123\":6,\"\u65e5\":7}",
      "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "0.1"})
  void readsWhatJacksonJrReads(String json) throws Exception {
    assertEquals(JSON.std.anyFrom(json), read(json));
  }

  @Test void keepsDocumentOrderAndNumberTypes() {
    Object v = read("{\"z\":1,\"a\":2.0,\"m\":30000000000,\"b\":123456789012345678901}");
    assertEquals(List.of("z", "a", "m", "b"), List.copyOf(((Map<?, ?>) v).keySet()));
    assertEquals(List.of(Integer.class, Double.class, Long.class, BigInteger.class),
        ((Map<?, ?>) v).values().stream().map(Object::getClass).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[1 2]", "{a:1}", "'x'", "\"open",
      "\"bad \\x escape\"", "\"\\u12\"", "\"tab\there\"", "{\"tab\tkey\":1}", "{\"open", "tru", "nul", "-", "1.2.3", "1e", "{} {}", "[1]]", "01x",
      "{\"a\":1}garbage"})
  void answersNullForWhatIsNotOneJsonValue(String text) {
    assertNull(read(text));
  }

  @Test void refusesNestingDeeperThanItsBoundInsteadOfOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertNull(read(deep));
    String fine = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    int depth = 0;
    for (Object v = read(fine); v instanceof List && !((List<?>) v).isEmpty(); v = ((List<?>) v).get(0)) depth++;
    assertEquals(JsonReader.MAX_DEPTH - 1, depth);
  }

  @Test void keepsTheLastOfARepeatedKeyAsTheSdksOwnJacksonDoes() {
    assertEquals(Map.of("dup", 2), read("{\"dup\":1,\"dup\":2}"));
  }

  @Test void readsEveryKeyRightWhenMoreKeysThanItKeepsShareItsTable() throws Exception {
    StringBuilder doc = new StringBuilder("{");
    for (int k = 0; k < 5000; k++) doc.append(k == 0 ? "" : ",").append("\"key").append(k).append("\":").append(k);
    String json = doc.append('}').toString();
    assertEquals(JSON.std.anyFrom(json), read(json));
    assertEquals(JSON.std.anyFrom(json), read(json)); // the second time through, from the table
  }

  @Test void givesTheSameKeyStringForAKeyReadBefore() {
    Map<?, ?> first = (Map<?, ?>) read("{\"prompt_tokens\":1}"), second = (Map<?, ?>) read("{\"prompt_tokens\":2}");
    assertSame(first.keySet().iterator().next(), second.keySet().iterator().next());
  }

  @Test void answersNullForNull() {
    assertNull(JsonReader.read(null));
  }
}
