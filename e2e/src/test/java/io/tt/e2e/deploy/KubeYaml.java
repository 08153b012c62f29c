package io.tt.e2e.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses Kubernetes YAML into fabric8 model objects, rejecting every field the model does not know.
 *
 * <p>fabric8's model classes collect unknown fields through a {@code @JsonAnySetter} ("additionalProperties"), so
 * FAIL_ON_UNKNOWN_PROPERTIES alone would never fire: the introspector here ignores that any-setter, and Jackson
 * then fails on the first misspelt or misplaced field, naming it and its path.
 */
final class KubeYaml {

  /** The kinds the manifests may hold: apiVersion and model class. */
  static final Map<String, Map.Entry<String, Class<? extends HasMetadata>>> KINDS = Map.of(
      "Namespace", Map.entry("v1", Namespace.class),
      "ServiceAccount", Map.entry("v1", ServiceAccount.class),
      "Secret", Map.entry("v1", Secret.class),
      "ConfigMap", Map.entry("v1", ConfigMap.class),
      "Service", Map.entry("v1", Service.class),
      "DaemonSet", Map.entry("apps/v1", DaemonSet.class));

  static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Boolean hasAnySetter(Annotated a) {
          return Boolean.FALSE;
        }
      });

  private KubeYaml() {
  }

  /** Every non-empty document of a (multi-document) YAML text, as trees. */
  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = STRICT.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /** One document as its model class; unknown kinds, wrong apiVersions and unknown fields all throw. */
  static HasMetadata resource(JsonNode doc) throws IOException {
    String kind = doc.path("kind").asText();
    var expected = KINDS.get(kind);
    if (expected == null) {
      throw new IOException("kind '" + kind + "' is not one the TT manifests should hold " + KINDS.keySet());
    }
    String apiVersion = doc.path("apiVersion").asText();
    if (!expected.getKey().equals(apiVersion)) {
      throw new IOException(kind + " needs apiVersion " + expected.getKey() + ", has '" + apiVersion + "'");
    }
    return STRICT.treeToValue(doc, expected.getValue());
  }

  static List<HasMetadata> resources(String yaml) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    for (JsonNode d : documents(yaml)) {
      out.add(resource(d));
    }
    return out;
  }
}
