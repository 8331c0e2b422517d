package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every form of model id Bedrock accepts, parsed into family, base model and vendor. */
class ModelIdTest {
  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "anthropic.claude-3-5-sonnet-20240620-v1:0, ANTHROPIC, anthropic.claude-3-5-sonnet-20240620-v1:0, anthropic",
      "us.anthropic.claude-3-5-haiku-20241022-v1:0, ANTHROPIC, anthropic.claude-3-5-haiku-20241022-v1:0, anthropic",
      "eu.amazon.nova-lite-v1:0, AMAZON_NOVA, amazon.nova-lite-v1:0, amazon",
      "apac.amazon.nova-pro-v1:0, AMAZON_NOVA, amazon.nova-pro-v1:0, amazon",
      "global.anthropic.claude-v2, ANTHROPIC, anthropic.claude-v2, anthropic",
      "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2, ANTHROPIC, anthropic.claude-v2, anthropic",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-70b-instruct-v1:0, META_LLAMA, meta.llama3-70b-instruct-v1:0, meta",
      "arn:aws:bedrock:us-east-1:123456789012:custom-model/cohere.command-text-v14/abc, COHERE_COMMAND, cohere.command-text-v14, cohere",
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123, UNKNOWN, null, null",
      "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/xyz, UNKNOWN, null, null",
      "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:imported-model/m1, UNKNOWN, null, null",
      "amazon.titan-embed-text-v2:0, AMAZON_TITAN_EMBED, amazon.titan-embed-text-v2:0, amazon",
      "amazon.titan-text-express-v1, AMAZON_TITAN_TEXT, amazon.titan-text-express-v1, amazon",
      "cohere.embed-english-v3, COHERE_EMBED, cohere.embed-english-v3, cohere",
      "cohere.command-r-plus-v1:0, COHERE_COMMAND_R, cohere.command-r-plus-v1:0, cohere",
      "mistral.mistral-large-2402-v1:0, MISTRAL, mistral.mistral-large-2402-v1:0, mistral",
      "ai21.jamba-1-5-mini-v1:0, AI21, ai21.jamba-1-5-mini-v1:0, ai21",
      "my-model, UNKNOWN, null, null"})
  void parses(String id, ModelId family, String base, String vendor) {
    assertEquals(family, ModelId.family(id));
    assertEquals(base, ModelId.baseModel(id));
    assertEquals(vendor, ModelId.vendor(id));
  }
}
