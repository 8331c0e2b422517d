package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every form of model id Bedrock accepts, parsed into family, base model and vendor. */
class ModelIdTest {
  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "anthropic.claude-3-5-sonnet-20240620-v1:0, anthropic, anthropic.claude-3-5-sonnet-20240620-v1:0, anthropic",
      "us.anthropic.claude-3-5-haiku-20241022-v1:0, anthropic, anthropic.claude-3-5-haiku-20241022-v1:0, anthropic",
      "eu.amazon.nova-lite-v1:0, amazon_nova, amazon.nova-lite-v1:0, amazon",
      "apac.amazon.nova-pro-v1:0, amazon_nova, amazon.nova-pro-v1:0, amazon",
      "global.anthropic.claude-v2, anthropic, anthropic.claude-v2, anthropic",
      "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2, anthropic, anthropic.claude-v2, anthropic",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-70b-instruct-v1:0, meta_llama, meta.llama3-70b-instruct-v1:0, meta",
      "arn:aws:bedrock:us-east-1:123456789012:custom-model/cohere.command-text-v14/abc, cohere_command, cohere.command-text-v14, cohere",
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123, unknown, null, null",
      "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/xyz, unknown, null, null",
      "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:imported-model/m1, unknown, null, null",
      "amazon.titan-embed-text-v2:0, amazon_titan_embed, amazon.titan-embed-text-v2:0, amazon",
      "amazon.titan-text-express-v1, amazon_titan_text, amazon.titan-text-express-v1, amazon",
      "cohere.embed-english-v3, cohere_embed, cohere.embed-english-v3, cohere",
      "cohere.command-r-plus-v1:0, cohere_command_r, cohere.command-r-plus-v1:0, cohere",
      "mistral.mistral-large-2402-v1:0, mistral, mistral.mistral-large-2402-v1:0, mistral",
      "ai21.jamba-1-5-mini-v1:0, ai21, ai21.jamba-1-5-mini-v1:0, ai21",
      "my-model, unknown, null, null"})
  void parses(String id, String family, String base, String vendor) {
    assertEquals(family, ModelFamily.of(id).name);
    assertEquals(base, ModelId.baseModel(id));
    assertEquals(vendor, ModelId.vendor(id));
    for (String asked : new String[] {id, "another." + id, id}) { // the kept facts follow the id asked
      ModelId.Facts facts = ModelId.Facts.of(asked);
      assertEquals(ModelFamily.of(asked), facts.family());
      assertEquals(ModelId.baseModel(asked), facts.base);
      assertEquals(ModelId.vendor(asked), facts.vendor);
    }
    if (base != null) { // each family knows its own ids: no two claim one, whatever their order
      long owners = ModelFamily.Known.ALL.stream().filter(f -> f.ownsModel(base.toLowerCase(java.util.Locale.ROOT))).count();
      assertEquals(family.equals("unknown") ? 0 : 1, owners, base);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"anthropic_version\":\"bedrock-2023-05-31\",\"messages\":[]} | anthropic",
      "{\"schemaVersion\":\"messages-v1\",\"messages\":[]}             | amazon_nova",
      "{\"inputText\":\"Hi\",\"textGenerationConfig\":{}}               | amazon_titan_text",
      "{\"inputText\":\"Hi\",\"dimensions\":256}                        | amazon_titan_embed",
      "{\"texts\":[\"Hi\"],\"input_type\":\"search_query\"}             | cohere_embed",
      "{\"prompt\":\"Hi\",\"max_gen_len\":64}                           | meta_llama",
      "{\"message\":\"Hi\",\"chat_history\":[]}                         | cohere_command_r",
      "{\"prompt\":\"Hi\"}                                           | unknown"})
  void anOpaqueIdsFamilyIsSniffedFromTheRequestBody(String body, String family) {
    Object parsed = Json.parse(body.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(family, ModelFamily.sniff(parsed).name);
  }
}
