package io.tt.common.proxy;

import io.tt.common.proxy.http.HttpLimits;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the fuzzing seed corpus (src/test/resources/proxy/corpus, written by make_corpus.py) through the facade
 * as a handler would: whole, one byte at a time, and cut in two (at every position for small inputs, at 64 seeded
 * random positions for large ones). All runs must agree and match corpus-expected.tsv.
 */
class CorpusTest {

  record Expectation(String file, ProxyAuth auth, String outcome, String client) {
  }

  static Path corpusDir() throws URISyntaxException {
    return Path.of(CorpusTest.class.getResource("/proxy/corpus").toURI());
  }

  static List<Expectation> expectations() throws IOException {
    List<Expectation> out = new ArrayList<>();
    try (InputStream in = CorpusTest.class.getResourceAsStream("/proxy/corpus-expected.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        ProxyAuth auth = f[1].equals("none") ? ProxyAuth.none() : ProxyAuth.usernamePassword("alice", "s3cret");
        out.add(new Expectation(f[0], auth, f[2], f[3].replace("\\r\\n", "\r\n")));
      }
    }
    return out;
  }

  @Test
  void everyCorpusFileHasAnExpectation() throws Exception {
    Path dir = corpusDir();
    Set<String> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> expected = expectations().stream().map(Expectation::file).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, files);
    assertTrue(files.size() >= 50, "seed corpus present");
  }

  @TestFactory
  Stream<DynamicTest> replay() throws Exception {
    Path dir = corpusDir();
    return expectations().stream().map(e -> DynamicTest.dynamicTest(e.file(), () -> {
      byte[] input = Files.readAllBytes(dir.resolve(e.file()));
      ProxyDriver.Transcript whole = ProxyDriver.run(e.auth(), input, Integer.MAX_VALUE);
      assertTrue(whole.outcome().startsWith(e.outcome()), e.file() + ": " + whole.outcome());
      String client = e.file().startsWith("socks5/") ? Bytes.hex(whole.toClient()) : whole.clientText();
      assertTrue(client.startsWith(e.client()), e.file() + ": client got " + client);
      assertEquals(whole.toString(), ProxyDriver.run(e.auth(), input, 1).toString(), "one byte at a time");
      List<Integer> cuts = new ArrayList<>();
      if (input.length <= 4096) {
        for (int at = 0; at <= input.length; at++) {
          cuts.add(at);
        }
      } else {
        Random random = new Random(input.length);
        for (int i = 0; i < 64; i++) {
          cuts.add(random.nextInt(input.length + 1));
        }
      }
      for (int at : cuts) {
        assertEquals(whole.toString(),
            ProxyDriver.run(e.auth(), HttpLimits.DEFAULT, ProxyDriver.cutAt(input, at)).toString(), "cut at " + at);
      }
    }));
  }
}
