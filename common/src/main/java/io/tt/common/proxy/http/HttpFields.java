package io.tt.common.proxy.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** The field lines of a head in received order, looked up by case-insensitive name. Immutable. */
public final class HttpFields implements Iterable<HttpField> {

  private final List<HttpField> fields;

  public HttpFields(List<HttpField> fields) {
    this.fields = List.copyOf(fields);
  }

  public int size() {
    return fields.size();
  }

  public HttpField get(int index) {
    return fields.get(index);
  }

  /** All values of the fields with this name, in order. */
  public List<String> all(String name) {
    List<String> out = new ArrayList<>(1);
    for (HttpField f : fields) {
      if (f.is(name)) {
        out.add(f.value());
      }
    }
    return out;
  }

  /** The first value of this name, or {@code null}. */
  public String first(String name) {
    for (HttpField f : fields) {
      if (f.is(name)) {
        return f.value();
      }
    }
    return null;
  }

  public int count(String name) {
    int n = 0;
    for (HttpField f : fields) {
      if (f.is(name)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The comma-separated list elements of all fields with this name, lower-cased, whitespace trimmed, empty
   * elements dropped (RFC 9110 section 5.6.1).
   */
  public List<String> tokens(String name) {
    List<String> out = new ArrayList<>(2);
    for (HttpField f : fields) {
      if (f.is(name)) {
        for (String element : f.value().split(",", -1)) {
          String t = element.trim();
          if (!t.isEmpty()) {
            out.add(t.toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return out;
  }

  @Override
  public Iterator<HttpField> iterator() {
    return fields.iterator();
  }

  /** Field lines with credential values masked. */
  @Override
  public String toString() {
    return fields.toString();
  }
}
