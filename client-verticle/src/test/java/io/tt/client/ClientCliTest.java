package io.tt.client;

import io.tt.common.cli.TtMain;
import io.tt.common.config.ClientConfig;
import io.tt.common.config.Options;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientCliTest {

  static int run(Map<String, String> env, ByteArrayOutputStream err, String... args) {
    return TtMain.run(ClientMain.SIDE, args, env, new PrintStream(new ByteArrayOutputStream(), true),
        new PrintStream(err, true));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-k pw                          | server: missing",
      "-k pw -s a,,b -l 127.0.0.1:x   | listen",
      "-k pw -s host -l :99999        | listen",
      "-k pw -s host --balance random | balance",
      "-k pw -s host --proxy-user bob | proxy-user",
      "-k pw -s 'a b'                 | unexpected argument",
      "-s host                        | key",
  })
  void badOptions(String args, String mentions) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(Map.of(), err, args.trim().split("\\s+"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, e);
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("tt client: error: ") && e.contains(mentions), e);
  }

  /** Every long option is also a JSON key with the same meaning, and a TT_* variable. */
  @Test
  void jsonKeysMatchTheLongOptions(@TempDir Path dir) throws Exception {
    JsonObject json = new JsonObject().put("key", "pw").put("server", "h1,h2").put("listen", "127.0.0.1:1099")
        .put("methods", "aes-256-gcm").put("port-range", "2000-2999").put("slot-seconds", 30)
        .put("balance", "active-backup").put("proxy-user", "u:p").put("padding", "full").put("frame-size", 8192);
    for (String k : json.fieldNames()) {
      assertTrue(Options.CLIENT.stream().anyMatch(o -> o.longName().equals(k)), k + " is an option");
    }
    ClientConfig fromJson = ClientConfig.fromJson(json);
    ClientConfig fromCli = ClientConfig.fromJson(io.tt.common.cli.Cli.read(new String[] {"-k", "pw", "-s", "h1,h2",
        "-l", "127.0.0.1:1099", "-m", "aes-256-gcm", "-r", "2000-2999", "--slot-seconds", "30", "--balance",
        "active-backup", "--proxy-user", "u:p", "--padding", "full", "--frame-size", "8192"}, Options.CLIENT, Map.of()).config());
    assertEquals(fromJson.toString(), fromCli.toString());
    assertEquals(2, fromJson.servers().size());
    assertEquals(ClientConfig.Balance.ACTIVE_BACKUP, fromJson.balance());

    // the environment sits between the file and the command line
    Path f = dir.resolve("client.json");
    Files.writeString(f, json.encode());
    ClientConfig layered = ClientConfig.fromJson(io.tt.common.cli.Cli.read(new String[] {"-c", f.toString(),
        "-r", "3000-3999"}, Options.CLIENT, Map.of("TT_PORT_RANGE", "4000-4999", "TT_SLOT_SECONDS", "10")).config());
    assertEquals("3000-3999", layered.tunnel().portRange().toString(), "command line wins");
    assertEquals(10, layered.tunnel().slotSeconds(), "environment beats the file");
  }

  @Test
  void keyFromFileOrEnvironmentAndNeverPrinted(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("key");
    Files.writeString(keyFile, "from-file-secret\n");
    JsonObject cfg = io.tt.common.cli.Cli.read(new String[] {"--key-file", keyFile.toString(), "-s", "h"},
        Options.CLIENT, Map.of()).config();
    ClientConfig c = ClientConfig.fromJson(cfg);
    assertEquals("from-file-secret", c.tunnel().keys().get(0).value());
    assertFalse(c.toString().contains("from-file-secret"), c.toString());
    ClientConfig e = ClientConfig.fromJson(io.tt.common.cli.Cli.read(new String[] {"-s", "h"}, Options.CLIENT,
        Map.of("TT_KEY", "from-env-secret")).config());
    assertEquals("from-env-secret", e.tunnel().keys().get(0).value());
    assertFalse(e.toString().contains("from-env-secret"));
  }
}
