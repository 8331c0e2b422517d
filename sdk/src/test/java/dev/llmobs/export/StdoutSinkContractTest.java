package dev.llmobs.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The stdout sink, against a captured {@code System.out} (the Lambda runtime replaces it too). */
class StdoutSinkContractTest extends SinkContract {
  PrintStream original;
  final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach void capture() {
    original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach void restore() {
    System.setOut(original);
  }

  @Override Sink sink() {
    return StreamSink.stdout();
  }

  @Override Sink brokenSink() {
    System.setOut(new PrintStream(new OutputStream() {
      @Override public void write(int b) throws IOException {
        throw new IOException("stdout closed");
      }
    }, true, StandardCharsets.UTF_8));
    return StreamSink.stdout();
  }

  List<String> lines() {
    String text = captured.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
  }

  @Override List<Map<String, Object>> receivedSpans() throws Exception {
    return FileSinkContractTest.lines(lines(), false);
  }

  @Override List<Map<String, Object>> receivedEvaluations() throws Exception {
    return FileSinkContractTest.lines(lines(), true);
  }
}
