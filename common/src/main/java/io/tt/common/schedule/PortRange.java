package io.tt.common.schedule;

/** An inclusive range of TCP/UDP ports, parsed from "START-END". */
public record PortRange(int start, int end) {

  public PortRange {
    if (start < 1 || end > 65535 || start > end) {
      throw new IllegalArgumentException("port range must be START-END with 1 <= START <= END <= 65535, got " + start + "-" + end);
    }
  }

  public static PortRange parse(String s) {
    String t = s.trim();
    int dash = t.indexOf('-');
    try {
      if (dash < 0) {
        int p = Integer.parseInt(t);
        return new PortRange(p, p);
      }
      return new PortRange(Integer.parseInt(t.substring(0, dash).trim()), Integer.parseInt(t.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port range must be START-END, got '" + s + "'");
    }
  }

  public int size() {
    return end - start + 1;
  }

  public boolean contains(int port) {
    return port >= start && port <= end;
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }
}
