package io.tt.common.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One-line logs on stderr through java.util.logging (what Vert.x uses when no other backend is present).
 * Stack traces are printed only in verbose mode; messages never carry keys or payload.
 */
public final class Logs {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  /** java.util.logging holds loggers weakly: a level set on one nobody references would be forgotten. */
  private static final java.util.List<Logger> CONFIGURED = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Logs() {
  }

  private static void level(String name, Level level) {
    Logger l = Logger.getLogger(name);
    l.setLevel(level);
    CONFIGURED.add(l);
  }

  public static void configure(boolean verbose) {
    // Vert.x resets java.util.logging from its bundled defaults when its JUL factory class initialises; make
    // that happen now, so the configuration below is the one that stays.
    try {
      Class.forName("io.vertx.core.logging.JULLogDelegateFactory", true, Logs.class.getClassLoader());
    } catch (ClassNotFoundException ignored) {
      // not on the class path: nothing will reset the configuration
    }
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    // ConsoleHandler writes to System.err (replacing its stream would close System.err).
    ConsoleHandler h = new ConsoleHandler();
    h.setFormatter(new OneLine(verbose));
    h.setLevel(Level.ALL);
    root.addHandler(h);
    root.setLevel(Level.INFO);
    CONFIGURED.clear();
    level("io.tt", verbose ? Level.FINE : Level.INFO);
    // Netty and Hazelcast are chatty at INFO; keep their warnings.
    level("io.netty", Level.WARNING);
    level("com.hazelcast", verbose ? Level.INFO : Level.WARNING);
    // TT uses no CP data structures; Hazelcast warns about their "unsafe mode" at every start regardless.
    level("com.hazelcast.cp", Level.SEVERE);
  }

  private static final class OneLine extends Formatter {
    private final boolean verbose;

    OneLine(boolean verbose) {
      this.verbose = verbose;
    }

    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(160);
      sb.append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
          .append(level(r.getLevel())).append(' ')
          .append(shortName(r.getLoggerName())).append(": ")
          .append(formatMessage(r));
      if (r.getThrown() != null) {
        Throwable t = r.getThrown();
        sb.append(" (").append(t.getClass().getSimpleName());
        if (t.getMessage() != null) {
          sb.append(": ").append(t.getMessage());
        }
        sb.append(')');
        if (verbose) {
          var w = new java.io.StringWriter();
          t.printStackTrace(new java.io.PrintWriter(w));
          sb.append(System.lineSeparator()).append(w);
        }
      }
      return sb.append(System.lineSeparator()).toString();
    }

    private static String level(Level l) {
      if (l.intValue() >= Level.SEVERE.intValue()) {
        return "ERROR";
      }
      if (l.intValue() >= Level.WARNING.intValue()) {
        return "WARN ";
      }
      if (l.intValue() >= Level.INFO.intValue()) {
        return "INFO ";
      }
      return "DEBUG";
    }

    private static String shortName(String name) {
      if (name == null) {
        return "-";
      }
      int dot = name.lastIndexOf('.');
      return dot < 0 ? name : name.substring(dot + 1);
    }
  }
}
