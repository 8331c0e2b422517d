package dev.llmobs.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser (headless Chromium): the traces of three real runs (a traced assistant, a plain handler,
 * a function stopped at its timeout) listed, a span's conversation, documents, error and evaluation shown after a
 * click, the filters, and the keyboard. A screenshot is left in {@code target/it/browser/}.
 */
class BrowserIT {
  static Chromium browser;
  static Path dir = InvokeIT.dir("browser");

  @BeforeAll static void openThePageOfThreeRuns() throws Exception {
    Path jar = FunctionJar.get();
    Tool.Run assistant = Tool.run(dir, "invoke", "--handler", "com.example.Assistant", "--function", jar.toString(),
        "--env", "AWS_LAMBDA_EXEC_WRAPPER=", "--spans", "assistant.jsonl");
    assertEquals(0, assistant.exit, assistant::toString);
    Tool.Run echo = Tool.run(dir, "invoke", "--handler", "com.example.Echo", "--function", jar.toString(),
        "--spans", "echo.jsonl");
    assertEquals(0, echo.exit, echo::toString);
    Tool.Run sleeper = Tool.run(dir, "invoke", "--handler", "com.example.Sleeper", "--function", jar.toString(),
        "--timeout", "1", "--spans", "sleeper.jsonl");
    assertEquals(1, sleeper.exit, sleeper::toString);
    Files.writeString(dir.resolve("all.jsonl"), Files.readString(dir.resolve("assistant.jsonl"))
        + Files.readString(dir.resolve("echo.jsonl")) + Files.readString(dir.resolve("sleeper.jsonl")));
    Tool.Run view = Tool.run(dir, "view", "all.jsonl");
    assertEquals(0, view.exit, view::toString);
    browser = new Chromium(dir.resolve("chromium-profile"));
    browser.open(dir.resolve("all.html").toUri().toString());
    assertEquals(1L, count("#traces .row.sel"), "the page opens on its first trace");
    assertTrue(count("#waterfall .row") > 0, "with its waterfall drawn");
  }

  @AfterAll static void close() throws Exception {
    if (browser != null) browser.close();
  }

  static long count(String selector) throws Exception {
    return ((Number) browser.eval("document.querySelectorAll(" + quote(selector) + ").length")).longValue();
  }

  static String text(String selector) throws Exception {
    return (String) browser.eval("(document.querySelector(" + quote(selector) + ") || {}).textContent || ''");
  }

  static void click(String selector) throws Exception {
    browser.eval("document.querySelector(" + quote(selector) + ").click()");
  }

  static void clickRowNamed(String name) throws Exception {
    browser.eval("Array.from(document.querySelectorAll('#waterfall .row')).find(r => r.querySelector('.name')"
        + ".textContent.includes(" + quote(name) + ")).click()");
  }

  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  static void filter(String id, String value) throws Exception {
    browser.eval("(() => { const e = document.getElementById(" + quote(id) + "), v = " + quote(value) + ";"
        + " if (e.type === 'checkbox') e.checked = v === 'true'; else e.value = v;"
        + " e.dispatchEvent(new Event('change')); })()");
  }

  @Test void listsEveryTraceAndTheInvocationThatSentNone() throws Exception {
    assertEquals(3, count("#traces .row"));
    String list = text("#traces");
    assertTrue(list.contains("timeout"), list); // the stopped invocation, with no span of its own
    assertTrue(list.contains("session claim-88412") && list.contains("322 tokens"), list);
    assertTrue(text("#summary").startsWith("3 traces, 7 spans, 1 evaluations"), text("#summary"));
  }

  @Test void aClickShowsTheConversationDocumentsErrorAndEvaluation() throws Exception {
    browser.eval("Array.from(document.querySelectorAll('#traces .row')).find(r => r.textContent.includes('322 tokens')).click()");
    assertEquals(6, count("#waterfall .row"));

    clickRowNamed("plan");
    assertTrue(text("#detail .msg.user").contains("Is a burst pipe covered?"), text("#detail"));
    assertTrue(text("#detail .msg.system").contains("Answer from the clauses."), text("#detail"));
    assertTrue(text("#detail .call").contains("get_claim_status") && text("#detail .call").contains("88412"), text("#detail"));
    assertTrue(text("#detail").contains("input_tokens120"), text("#detail"));

    clickRowNamed("policy-search");
    assertEquals(2, count("#detail .doc"));
    assertTrue(text("#detail .doc").contains("score 0.81") && text("#detail .doc").contains("Clause 4.2"), text("#detail"));

    clickRowNamed("answer");
    assertTrue(text("#detail .msg.tool .call").contains("OPEN"), text("#detail")); // the tool's result, as the model saw it
    assertTrue(text("#detail table:last-of-type").contains("groundedness") || text("#detail").contains("groundedness0.9"),
        text("#detail"));

    clickRowNamed("notify-handler");
    assertTrue(text("#detail div.err").contains("java.lang.IllegalStateException: the notification queue is down"), text("#detail"));
    assertTrue(text("#detail pre").contains("at com.example.Assistant"), text("#detail")); // the stack

    browser.screenshot(dir.resolve("trace-page.png"));
  }

  @Test void filtersByKindErrorAndSession() throws Exception {
    try {
      filter("f-kind", "tool");
      assertEquals(1, count("#traces .row"));
      filter("f-kind", "");
      filter("f-error", "true");
      assertEquals(2, count("#traces .row")); // the assistant (a failed task) and the timeout
      filter("f-error", "false");
      filter("f-session", "claim-88412");
      assertEquals(1, count("#traces .row"));
      filter("f-session", "");
      assertEquals(3, count("#traces .row"));
    } finally {
      filter("f-kind", "");
      filter("f-error", "false");
      filter("f-session", "");
    }
  }

  @Test void usableFromTheKeyboard() throws Exception {
    browser.eval("document.querySelector('#traces .row').focus()");
    browser.press("ArrowDown");
    assertEquals("1", browser.eval("document.activeElement.getAttribute('data-i')"));
    assertEquals(1L, count("#traces .row.sel[data-i='1']"));
    browser.press("Enter");
    assertEquals("0", browser.eval("document.activeElement.getAttribute('data-j')")); // into the waterfall
    browser.press("ArrowUp");
    browser.press("Escape");
    assertEquals("1", browser.eval("document.activeElement.getAttribute('data-i')")); // back to the list
    browser.press("/");
    assertEquals("f-text", browser.eval("document.activeElement.id"));
  }
}
