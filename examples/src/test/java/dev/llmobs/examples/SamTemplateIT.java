package dev.llmobs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code sam-template.yaml} checked offline: parsed with its CloudFormation tags, validated against SAM's JSON schema
 * (from {@code ../shared/data/}, read in place), every reference resolved, and every path and handler pointing at
 * something the build made. Runs after packaging, so the artifacts exist.
 */
class SamTemplateIT {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path TEMPLATE = ROOT.resolve("sam-template.yaml");
  static final Path SCHEMA = ROOT.resolve("../shared/data/sam.schema.json").normalize();

  static Map<String, Object> load(String yaml) {
    return dev.llmobs.examples.harness.CfnYaml.load(yaml);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  static List<Error> schemaErrors(Map<String, Object> template) throws Exception {
    Schema schema;
    try (InputStream in = Files.newInputStream(SCHEMA)) {
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
    }
    JsonNode node = new ObjectMapper().valueToTree(template);
    return schema.validate(node);
  }

  @Test void theTemplateIsValidAgainstSamsSchema() throws Exception {
    Assumptions.assumeTrue(Files.exists(SCHEMA), "SAM's schema is not beside the project (" + SCHEMA + "): check skipped");
    List<Error> errors = schemaErrors(load(Files.readString(TEMPLATE)));
    assertEquals(List.of(), errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList());
  }

  @Test void theSchemaCheckCatchesAMisspeltProperty() throws Exception {
    Assumptions.assumeTrue(Files.exists(SCHEMA), "SAM's schema is not beside the project: check skipped");
    String broken = Files.readString(TEMPLATE).replace("      Handler: dev.llmobs.examples.PlainHandler",
        "      Handlr: dev.llmobs.examples.PlainHandler");
    assertFalse(schemaErrors(load(broken)).isEmpty(), "a check that cannot fail is no check");
  }

  @Test void everyReferenceNamesSomethingDefined() throws Exception {
    Map<String, Object> t = load(Files.readString(TEMPLATE));
    Set<String> defined = new java.util.HashSet<>();
    defined.addAll(map(t.get("Parameters")).keySet());
    defined.addAll(map(t.get("Resources")).keySet());
    for (Map.Entry<String, Object> r : map(t.get("Resources")).entrySet()) { // what SAM generates: a function's URL
      if (map(map(r.getValue()).get("Properties")).containsKey("FunctionUrlConfig")) defined.add(r.getKey() + "Url");
    }
    List<String> refs = new ArrayList<>();
    collectRefs(t, refs);
    assertFalse(refs.isEmpty());
    for (String r : refs) {
      assertTrue(defined.contains(r) || r.startsWith("AWS::"), "undefined reference " + r);
    }
  }

  static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!]+)}");

  @SuppressWarnings("unchecked")
  static void collectRefs(Object o, List<String> out) {
    if (o instanceof Map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) o).entrySet()) {
        if (e.getKey().equals("Ref")) out.add((String) e.getValue());
        else if (e.getKey().equals("Fn::GetAtt")) out.add((String) ((List<Object>) e.getValue()).get(0));
        else if (e.getKey().equals("Fn::Sub")) {
          Object v = e.getValue();
          String text = v instanceof String ? (String) v : (String) ((List<Object>) v).get(0);
          Matcher m = SUB_VAR.matcher(text);
          while (m.find()) out.add(m.group(1).split("\\.")[0]);
        }
        collectRefs(e.getValue(), out);
      }
    } else if (o instanceof List) {
      for (Object x : (List<Object>) o) collectRefs(x, out);
    }
  }

  @Test void pathsHandlersRuntimesAndTheWrapperPointAtWhatTheBuildMade() throws Exception {
    Map<String, Object> t = load(Files.readString(TEMPLATE));
    Map<String, Object> globals = map(map(t.get("Globals")).get("Function"));
    Path functionZip = ROOT.resolve((String) globals.get("CodeUri"));
    assertTrue(Files.isRegularFile(functionZip), functionZip + " is built");
    assertTrue(List.of("java17", "java21", "java25").contains(globals.get("Runtime")));
    assertTrue(((List<?>) globals.get("Layers")).contains(Map.of("Ref", "LlmObsLayer")));

    Map<String, Object> resources = map(t.get("Resources"));
    Map<String, Object> layer = map(map(resources.get("LlmObsLayer")).get("Properties"));
    Path layerZip = ROOT.resolve((String) layer.get("ContentUri"));
    assertTrue(Files.isRegularFile(layerZip), layerZip + " is built");
    for (Object r : (List<?>) layer.get("CompatibleRuntimes")) assertTrue(List.of("java17", "java21", "java25").contains(r));

    int functions = 0;
    try (ZipFile code = new ZipFile(functionZip.toFile()); ZipFile opt = new ZipFile(layerZip.toFile())) {
      assertFalse(code.stream().anyMatch(e -> e.getName().contains("llmobs-") || e.getName().startsWith("dev/llmobs/lambda")
          || e.getName().startsWith("dev/llmobs/langchain4j")), "our SDK and listeners come from the layer, not the function package");
      for (Map.Entry<String, Object> e : resources.entrySet()) {
        Map<String, Object> res = map(e.getValue());
        if (!"AWS::Serverless::Function".equals(res.get("Type"))) continue;
        functions++;
        Map<String, Object> props = map(res.get("Properties"));
        String handler = (String) props.get("Handler");
        String cls = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        assertNotNull(code.getEntry(cls.replace('.', '/') + ".class"), e.getKey() + ": " + handler + " is in the package");
        Map<String, Object> env = props.get("Environment") == null ? Map.of()
            : map(map(props.get("Environment")).get("Variables"));
        Object wrapper = env.get("AWS_LAMBDA_EXEC_WRAPPER");
        if (wrapper != null) {
          String path = (String) wrapper;
          assertTrue(path.startsWith("/opt/"), path);
          assertNotNull(opt.getEntry(path.substring("/opt/".length())), path + " is in the layer");
        }
      }
    }
    assertEquals(7, functions);
    Map<String, Object> params = map(t.get("Parameters"));
    assertFalse(map(params.get("DdApiKeySecretArn")).containsKey("Default"), "no plain default for the API key");
  }
}
