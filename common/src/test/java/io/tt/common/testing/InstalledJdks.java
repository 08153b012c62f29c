package io.tt.common.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JDKs installed under /usr/lib/jvm (Debian's layout, where bin/tt looks too), for tests that need a newer one. */
public final class InstalledJdks {

  private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

  private InstalledJdks() {
  }

  /** bin/java of the newest JDK under /usr/lib/jvm with at least this feature version, or null. */
  public static Path newest(int atLeast) throws Exception {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    Path best = null;
    int bestVersion = 0;
    try (var dirs = Files.list(jvms)) {
      for (Path d : dirs.toList()) {
        Path release = d.resolve("release");
        Path bin = d.resolve("bin/java");
        if (!Files.isRegularFile(release) || !Files.isExecutable(bin)) {
          continue;
        }
        Matcher m = VERSION.matcher(Files.readString(release));
        if (m.find() && Integer.parseInt(m.group(1)) >= Math.max(atLeast, bestVersion + 1)) {
          best = bin;
          bestVersion = Integer.parseInt(m.group(1));
        }
      }
    }
    return best;
  }
}
