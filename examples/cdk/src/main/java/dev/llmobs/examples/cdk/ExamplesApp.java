package dev.llmobs.examples.cdk;

import java.nio.file.Path;
import software.amazon.awscdk.App;

/**
 * The CDK app: {@code cdk deploy} from {@code examples/cdk} (after {@code mvn -B install -DskipTests} at the root).
 */
public final class ExamplesApp {
  private ExamplesApp() {}

  public static void main(String[] args) {
    App app = new App();
    Path repo = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    new ExamplesStack(app, "LlmObsExamples", repo);
    app.synth();
  }
}
