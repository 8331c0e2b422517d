package dev.llmobs.examples.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.examples.harness.CfnYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The CDK app and {@code sam-template.yaml} make the same choices, so they cannot drift apart: for every function
 * of the SAM template, the synthesized CDK function with the same handler has the same runtime, memory, timeout,
 * layers, environment and IAM grants; the parameters and the layer are the same.
 */
class CdkMatchesSamTest {
  static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
  static Map<String, Object> cdk, typescript, sam;

  @TempDir static Path out;

  @SuppressWarnings("unchecked")
  @BeforeAll static void synthesize() throws Exception {
    // Into the test's own directory: with no outdir, every run would leave the examples' assets (75 MB) in /tmp.
    App app = new App(AppProps.builder().outdir(out.toString()).build());
    cdk = Template.fromStack(new ExamplesStack(app, "LlmObsExamples", REPO)).toJSON();
    sam = CfnYaml.load(Files.readString(REPO.resolve("sam-template.yaml")));
    // The TypeScript app beside it (ts/app.ts), synthesized by the build before the tests (see the pom).
    Path ts = REPO.resolve("examples/cdk/target/ts-cdk.out/LlmObsExamples.template.json");
    typescript = (Map<String, Object>) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(Files.readString(ts));
  }

  /** A template as deployed: CDK's bookkeeping (metadata, its version resource) left out. */
  static Map<String, Object> deployed(Map<String, Object> template) {
    Map<String, Object> out = new LinkedHashMap<>(template);
    Map<String, Object> resources = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map(template.get("Resources")).entrySet()) {
      if ("AWS::CDK::Metadata".equals(map(e.getValue()).get("Type"))) continue;
      Map<String, Object> r = new LinkedHashMap<>(map(e.getValue()));
      r.remove("Metadata");
      resources.put(e.getKey(), r);
    }
    out.put("Resources", resources);
    out.remove("Conditions"); // only CDKMetadata's region condition
    return out;
  }

  @Test void theTypeScriptAppSynthesizesWhatTheJavaAppDoes() throws Exception {
    Map<String, Object> java = deployed(cdk), ts = deployed(typescript);
    assertEquals(new TreeSet<>(map(java.get("Resources")).keySet()), new TreeSet<>(map(ts.get("Resources")).keySet()),
        "the same resources");
    for (String id : map(java.get("Resources")).keySet()) {
      assertEquals(com.fasterxml.jackson.jr.ob.JSON.std.asString(map(java.get("Resources")).get(id)),
          com.fasterxml.jackson.jr.ob.JSON.std.asString(map(ts.get("Resources")).get(id)), id);
    }
    assertEquals(java.get("Parameters"), ts.get("Parameters"));
    assertEquals(java.get("Outputs"), ts.get("Outputs"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  static Map<String, Map<String, Object>> resources(Map<String, Object> template, String type) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map(template.get("Resources")).entrySet()) {
      if (type.equals(map(e.getValue()).get("Type"))) out.put(e.getKey(), map(e.getValue()));
    }
    return out;
  }

  /** Our layer, wherever it comes from, is one token; anything else is compared as it stands. */
  static Object layer(Object ref, Map<String, Object> template, String ourType) {
    Object name = map(ref).get("Ref");
    if (name != null && ourType.equals(map(map(template.get("Resources")).get(name)).get("Type"))) return "llmobs-layer";
    return ref;
  }

  /** Each (action, resource) a role is granted, statements and arrays flattened. */
  static Set<String> grants(List<?> statements) {
    Set<String> out = new TreeSet<>();
    for (Object s : statements) {
      Map<String, Object> st = map(s);
      assertEquals("Allow", st.get("Effect"));
      Object actions = st.get("Action"), res = st.get("Resource");
      for (Object a : actions instanceof List ? (List<?>) actions : List.of(actions)) {
        for (Object r : res instanceof List ? (List<?>) res : List.of(res)) out.add(a + " on " + r);
      }
    }
    return out;
  }

  /**
   * Logical ids differ between the two (CDK adds hashes, SAM names the URL it generates {@code <Function>Url}): a
   * function, or its URL, is named by its handler instead, so that references compare.
   */
  static Map<String, String> names(Map<String, Object> template, boolean samTemplate) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, Object> resources = map(template.get("Resources"));
    for (Map.Entry<String, Object> e : resources.entrySet()) {
      Map<String, Object> props = map(map(e.getValue()).get("Properties"));
      Object handler = props.get("Handler");
      if (handler == null) continue;
      out.put(e.getKey(), "fn:" + handler);
      if (samTemplate && props.containsKey("FunctionUrlConfig")) out.put(e.getKey() + "Url", "url:" + handler);
    }
    for (Map.Entry<String, Object> e : resources.entrySet()) {
      if (!"AWS::Lambda::Url".equals(map(e.getValue()).get("Type"))) continue;
      Object target = map(map(map(e.getValue()).get("Properties")).get("TargetFunctionArn")).get("Fn::GetAtt");
      if (target instanceof List) out.put(e.getKey(), out.get(((List<?>) target).get(0)).replace("fn:", "url:"));
    }
    return out;
  }

  /** A value with references to functions and URLs written by handler: GetAtt, Join of parts and Sub alike. */
  static Object normalize(Object v, Map<String, String> names) {
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object o : (List<?>) v) out.add(normalize(o, names));
      return out;
    }
    if (!(v instanceof Map)) return v;
    Map<String, Object> m = map(v);
    if (m.get("Fn::GetAtt") instanceof List) {
      List<?> a = (List<?>) m.get("Fn::GetAtt");
      return names.getOrDefault(a.get(0), String.valueOf(a.get(0))) + "." + a.get(1);
    }
    if (m.get("Fn::Join") instanceof List && "".equals(((List<?>) m.get("Fn::Join")).get(0))) {
      StringBuilder b = new StringBuilder();
      for (Object part : (List<?>) ((List<?>) m.get("Fn::Join")).get(1)) b.append(normalize(part, names));
      return b.toString();
    }
    if (m.get("Fn::Sub") instanceof String) {
      String text = (String) m.get("Fn::Sub");
      for (Map.Entry<String, String> n : names.entrySet()) text = text.replace("${" + n.getKey() + ".", "${" + n.getValue() + ".");
      return text.replaceAll("\\$\\{([^}]+)}", "$1");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) out.put(e.getKey(), normalize(e.getValue(), names));
    return out;
  }

  @Test void everySamFunctionHasACdkTwinWithTheSameChoices() {
    sameChoices(cdk);
  }

  @Test void everySamFunctionHasATwinInTheTypeScriptAppToo() {
    sameChoices(typescript);
  }

  void sameChoices(Map<String, Object> cdk) {
    Map<String, String> samNames = names(sam, true), cdkNames = names(cdk, false);
    Map<String, Object> globals = map(map(sam.get("Globals")).get("Function"));
    Map<String, Map<String, Object>> cdkFunctions = resources(cdk, "AWS::Lambda::Function");
    Map<String, Map<String, Object>> samFunctions = resources(sam, "AWS::Serverless::Function");
    assertEquals(7, samFunctions.size());
    assertEquals(samFunctions.size(), cdkFunctions.size(), "one CDK function per SAM function");
    for (Map.Entry<String, Map<String, Object>> e : samFunctions.entrySet()) {
      Map<String, Object> s = map(e.getValue().get("Properties"));
      String handler = (String) s.get("Handler");
      List<Map<String, Object>> twins = new ArrayList<>();
      for (Map<String, Object> c : cdkFunctions.values()) if (handler.equals(map(c.get("Properties")).get("Handler"))) twins.add(c);
      assertEquals(1, twins.size(), "the CDK function with handler " + handler);
      Map<String, Object> c = map(twins.get(0).get("Properties"));
      String what = e.getKey() + " (" + handler + ")";

      assertEquals(globals.get("Runtime"), c.get("Runtime"), what);
      assertEquals(globals.get("MemorySize"), c.get("MemorySize"), what);
      assertEquals(globals.get("Timeout"), c.get("Timeout"), what);
      assertEquals(globals.get("Architectures"), c.get("Architectures"), what);
      assertEquals(s.get("Description"), c.get("Description"), what);

      Map<String, Object> env = new LinkedHashMap<>(map(map(globals.get("Environment")).get("Variables")));
      env.putAll(map(map(s.get("Environment")).get("Variables")));
      assertEquals(normalize(env, samNames), normalize(map(map(c.get("Environment")).get("Variables")), cdkNames),
          what + " environment");

      List<Object> samLayers = new ArrayList<>(), cdkLayers = new ArrayList<>();
      for (Object l : (List<?>) globals.get("Layers")) samLayers.add(layer(l, sam, "AWS::Serverless::LayerVersion"));
      for (Object l : (List<?>) c.get("Layers")) cdkLayers.add(layer(l, cdk, "AWS::Lambda::LayerVersion"));
      assertEquals(samLayers, cdkLayers, what + " layers");

      List<Object> samStatements = new ArrayList<>();
      for (Object p : (List<?>) s.get("Policies")) samStatements.addAll((List<?>) map(p).get("Statement"));
      String role = (String) ((List<?>) map(c.get("Role")).get("Fn::GetAtt")).get(0); // {"Fn::GetAtt": [role, "Arn"]}
      List<Object> cdkStatements = new ArrayList<>();
      for (Map<String, Object> policy : resources(cdk, "AWS::IAM::Policy").values()) {
        Map<String, Object> pp = map(policy.get("Properties"));
        if (((List<?>) pp.get("Roles")).contains(Map.of("Ref", role))) {
          cdkStatements.addAll((List<?>) map(pp.get("PolicyDocument")).get("Statement"));
        }
      }
      assertEquals(grants((List<?>) normalize(samStatements, samNames)), grants((List<?>) normalize(cdkStatements, cdkNames)),
          what + " grants");
    }
  }

  @Test void theParametersAreTheSame() {
    Set<String> cdkParameters = new HashSet<>(map(cdk.get("Parameters")).keySet());
    cdkParameters.remove("BootstrapVersion"); // CDK's own
    assertEquals(map(sam.get("Parameters")).keySet(), cdkParameters);
    for (String p : List.of("DdSite", "MlApp", "ModelId")) {
      assertEquals(map(map(sam.get("Parameters")).get(p)).get("Default"), map(map(cdk.get("Parameters")).get(p)).get("Default"), p);
    }
    assertEquals(null, map(map(cdk.get("Parameters")).get("DdApiKeySecretArn")).get("Default"), "no default key, on purpose");
  }

  @Test void theLayerIsTheSame() {
    Map<String, Object> s = map(resources(sam, "AWS::Serverless::LayerVersion").values().iterator().next().get("Properties"));
    Map<String, Map<String, Object>> layers = resources(cdk, "AWS::Lambda::LayerVersion");
    assertEquals(1, layers.size());
    Map<String, Object> c = map(layers.values().iterator().next().get("Properties"));
    assertEquals(s.get("LayerName"), c.get("LayerName"));
    assertEquals(s.get("CompatibleRuntimes"), c.get("CompatibleRuntimes"));
    assertEquals(s.get("CompatibleArchitectures"), c.get("CompatibleArchitectures"));
    assertEquals(s.get("LicenseInfo"), c.get("LicenseInfo"));
    assertEquals(s.get("Description"), c.get("Description"));
    assertTrue(!cdk.toString().contains("DD_API_KEY\"") && !cdk.toString().contains("DD_API_KEY="), "no key in the template");
  }
}
