package dev.llmobs.examples.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads CloudFormation YAML: {@code !Ref}, {@code !GetAtt}, {@code !Sub}... become {"Ref": x}, {"Fn::GetAtt": [a, b]}. */
public final class CfnYaml {
  private CfnYaml() {}

  private static final class CfnConstructor extends SafeConstructor {
    CfnConstructor() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
      for (String fn : List.of("Sub", "GetAtt", "Join", "Select", "Split", "If", "Equals", "And", "Or", "Not",
          "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Transform", "ToJsonString", "Length")) {
        yamlConstructors.put(new Tag("!" + fn), new Intrinsic("Fn::" + fn));
      }
    }

    private final class Intrinsic extends AbstractConstruct {
      private final String key;

      Intrinsic(String key) {
        this.key = key;
      }

      @Override public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode) {
          String s = constructScalar((ScalarNode) node);
          value = key.equals("Fn::GetAtt") ? List.of(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1)) : s;
        } else if (node instanceof SequenceNode) {
          value = constructSequence((SequenceNode) node);
        } else {
          value = constructMapping((MappingNode) node);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
      }
    }
  }

  /** A CloudFormation or SAM template as maps and lists, intrinsic functions in their JSON forms. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(String yaml) {
    return (Map<String, Object>) new Yaml(new CfnConstructor()).load(yaml);
  }
}
