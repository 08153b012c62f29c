package io.tt.server;

import io.tt.common.cli.TtMain;
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

/** Bad command lines and config files: exit code 2 and one line on stderr that names the problem. */
class ServerCliTest {

  record Run(int code, String out, String err) {
  }

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TtMain.run(ServerMain.SIDE, args, env, new PrintStream(out, true), new PrintStream(err, true));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static void assertUsageError(Run r, String mentions) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    assertTrue(r.err().startsWith("tt server: error: "), r.err());
    assertTrue(r.err().contains(mentions), "names the problem (" + mentions + "): " + r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--bogus                                  | unknown option '--bogus'",
      "-k pw -r 9-1                             | port-range",
      "-k pw -r 1024                            | OK-NOT-USED",
      "-k pw -r abc                             | port-range",
      "-k pw -r 0-70000                         | port-range",
      "-k pw -m rot13                           | methods",
      "-k pw --slot-seconds 0                   | slot-seconds",
      "-k pw --slot-seconds x                   | slot-seconds",
      "-k pw --padding lots                     | padding",
      "-k pw --fallback nowhere                 | fallback",
      "-k pw --tun-ip 10.1.0.1                  | tun-ip",
      "-k pw --tun-proto SCTP --tun-ip 10.1.0.1/24 | tun-proto",
      "-k pw -l 0.0.0.0:443                     | listen",
      "-k                                       | --key needs a value",
      "stray                                    | unexpected argument 'stray'",
  })
  void badOptions(String args, String mentions) {
    if (mentions.equals("OK-NOT-USED")) {
      return; // a single port is a valid range
    }
    assertUsageError(run(Map.of(), args.trim().split("\\s+")), mentions);
  }

  @Test
  void missingKeyNamesEveryWayToGiveOne() {
    Run r = run(Map.of(), "-l", "127.0.0.1");
    assertUsageError(r, "key");
    assertTrue(r.err().contains("TT_KEY") && r.err().contains("--key-file"), r.err());
  }

  @Test
  void badJsonConfigFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("server.json");
    Files.writeString(f, "{\"key\": \"s3cret-in-file\", \"port-range\": ");
    Run r = run(Map.of(), "-c", f.toString());
    assertUsageError(r, "not valid JSON");
    assertFalse(r.err().contains("s3cret-in-file"), "the file's content is not echoed");
    Run launcher = run(Map.of(), "-conf", f.toString());
    assertUsageError(launcher, "not valid JSON");
  }

  @Test
  void unknownAndBadJsonKeys(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("server.json");
    Files.writeString(f, "{\"key\": \"pw\", \"port_range\": \"1-2\"}");
    assertUsageError(run(Map.of(), "-c", f.toString()), "port_range: unknown config key");
    Files.writeString(f, "{\"key\": \"pw\", \"slot-seconds\": \"soon\"}");
    assertUsageError(run(Map.of(), "-conf", f.toString()), "slot-seconds");
    assertUsageError(run(Map.of(), "-conf", dir.resolve("missing.json").toString()), "no such file");
  }

  @Test
  void keyFileThatCannotBeRead(@TempDir Path dir) {
    assertUsageError(run(Map.of(), "--key-file", dir.resolve("nope").toString()), "key-file");
  }

  @Test
  void envBadValueNamesTheKey() {
    assertUsageError(run(Map.of("TT_KEY", "pw", "TT_PORT_RANGE", "5-1")), "port-range");
  }

  @Test
  void helpAndVersion() {
    Run help = run(Map.of(), "--help");
    assertEquals(0, help.code());
    for (String opt : new String[] {"--key", "--listen", "--methods", "--port-range", "--verbose", "--help", "--version"}) {
      assertTrue(help.out().contains(opt), "help lists " + opt);
    }
    assertTrue(help.out().contains("[default: chacha20-poly1305]") && help.out().contains("[default: 1024-65535]")
        && help.out().contains("[default: 0.0.0.0]"), help.out());
    Run version = run(Map.of(), "-V");
    assertEquals(0, version.code());
    assertTrue(version.out().startsWith("tt-server "), version.out());
  }
}
