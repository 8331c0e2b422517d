package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmobs.bedrock.BedrockStub.Reply;
import dev.llmobs.testing.ClassPaths;
import dev.llmobs.testing.TestIntake;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** A function with Bedrock Agent Runtime and without Bedrock Runtime: its Knowledge Base lookups are traced all the same. */
class AgentRuntimeWithoutBedrockRuntimeTest {
  @SuppressWarnings("unchecked")
  @Test void aRetrieveIsTracedWhenBedrockRuntimeIsNotOnTheClassPath() throws Exception {
    URL[] urls = ClassPaths.without(entry -> entry.contains("/bedrockruntime/"));
    try (BedrockStub stub = new BedrockStub(); TestIntake intake = new TestIntake();
        URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      assertNull(loader.getResource("software/amazon/awssdk/services/bedrockruntime/BedrockRuntimeClient.class"));
      stub.reply(Reply.json(KnowledgeBasesAndGuardrailsTest.RETRIEVED));
      BiFunction<String, String, Integer> function = (BiFunction<String, String, Integer>)
          loader.loadClass(AgentRuntimeAlone.class.getName()).getConstructor().newInstance();
      assertEquals(2, function.apply(stub.endpoint().toString(), intake.origin()));
      Map<String, Object> retrieval = intake.span("bedrock-agent-runtime.retrieve");
      assertEquals(2, ((List<?>) ((Map<String, Object>) ((Map<String, Object>) retrieval.get("meta")).get("output"))
          .get("documents")).size());
    }
  }
}
