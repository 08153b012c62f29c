package io.tt.common.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code ```vector NAME} blocks of docs/PROTOCOL.md so tests check the very bytes the spec shows. */
public final class ProtocolVectors {

  private final Map<String, Map<String, String>> blocks = new LinkedHashMap<>();

  private ProtocolVectors(List<String> lines) {
    Map<String, String> current = null;
    for (String line : lines) {
      if (line.startsWith("```vector ")) {
        current = new LinkedHashMap<>();
        blocks.put(line.substring("```vector ".length()).trim(), current);
      } else if (line.startsWith("```")) {
        current = null;
      } else if (current != null && line.contains(" = ")) {
        int eq = line.indexOf(" = ");
        current.put(line.substring(0, eq).trim(), line.substring(eq + 3).trim());
      }
    }
  }

  public static ProtocolVectors load() throws IOException {
    Path p = Path.of("..", "docs", "PROTOCOL.md");
    if (!Files.exists(p)) {
      p = Path.of("docs", "PROTOCOL.md");
    }
    return new ProtocolVectors(Files.readAllLines(p));
  }

  public Map<String, String> block(String name) {
    Map<String, String> b = blocks.get(name);
    if (b == null) {
      throw new IllegalArgumentException("PROTOCOL.md has no vector block '" + name + "'");
    }
    return b;
  }

  public int size() {
    return blocks.size();
  }

  public static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
