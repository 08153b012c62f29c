package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.tt.common.proxy.Bytes.ascii;
import static io.tt.common.proxy.Bytes.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpRequestHeadParserTest {

  /** Parses the whole input in one buffer; asserts nothing after the head was consumed. */
  static HttpRequestHead parseWhole(byte[] input) {
    HttpRequestHeadParser p = new HttpRequestHeadParser(HttpLimits.DEFAULT);
    ByteBuf in = Unpooled.wrappedBuffer(input);
    return p.parse(in);
  }

  /** Parses one byte per call; the head must come with the last byte of the head, not before. */
  static HttpRequestHead parseBytewise(byte[] input) {
    HttpRequestHeadParser p = new HttpRequestHeadParser(HttpLimits.DEFAULT);
    for (int i = 0; i < input.length; i++) {
      HttpRequestHead h = p.parse(Unpooled.wrappedBuffer(input, i, 1));
      if (h != null) {
        return h;
      }
    }
    return null;
  }

  static int status(byte[] input) {
    int whole = assertThrows(HttpRejection.class, () -> parseWhole(input)).status();
    int bytewise = assertThrows(HttpRejection.class, () -> parseBytewise(input)).status();
    assertEquals(whole, bytewise, "status must not depend on how input is split");
    return whole;
  }

  @Test
  void parsesRequestLineAndFieldsInOrder() {
    byte[] input = crlf("GET http://example.com/a?b HTTP/1.1\nHost: example.com\nX-A:  1 \nx-a:2\n\n");
    for (HttpRequestHead h : List.of(parseWhole(input), parseBytewise(input))) {
      assertEquals("GET", h.method());
      assertEquals("http://example.com/a?b", h.target());
      assertEquals(1, h.minorVersion());
      assertEquals(3, h.fields().size());
      assertEquals(List.of("1", "2"), h.fields().all("X-A"));
      assertEquals("example.com", h.fields().first("HOST"));
      assertEquals("X-A", h.fields().get(1).name());
      assertEquals(2, h.fields().count("x-A"));
    }
  }

  @Test
  void stopsExactlyAfterTheHead() {
    ByteBuf in = Unpooled.wrappedBuffer(crlf("GET http://a/ HTTP/1.1\n\nNEXT"));
    assertNotNull(new HttpRequestHeadParser(HttpLimits.DEFAULT).parse(in));
    assertEquals("NEXT", Bytes.text(in));
  }

  @Test
  void acceptsBareLfAndLeadingEmptyLines() {
    HttpRequestHead h = parseWhole(ascii("\r\n\nGET http://a/ HTTP/1.0\nHost: a\n\n"));
    assertEquals(0, h.minorVersion());
    assertEquals("a", h.fields().first("host"));
  }

  @Test
  void incompleteHeadNeedsMore() {
    assertNull(parseWhole(crlf("GET http://a/ HTTP/1.1\nHost: a\n")));
    assertNull(parseWhole(ascii("GET http://a/ HTTP/1.1\r")));
  }

  @Test
  void higherMinorVersionsReadAsOneOne() {
    assertEquals(1, parseWhole(crlf("GET http://a/ HTTP/1.7\n\n")).minorVersion());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET  http://a/ HTTP/1.1\n\n",          // double space
      "GET http://a/  HTTP/1.1\n\n",
      "GET http://a/ HTTP/1.1 \n\n",          // trailing space
      " GET http://a/ HTTP/1.1\n\n",          // leading space (not a token byte)
      "GET http://a/\n\n",                     // HTTP/0.9 style
      "GET\n\n",
      "GET http://a/ http/1.1\n\n",
      "GET http://a/ HTTP/1.1x\n\n",
      "GET http://a/ HTTP/11\n\n",
      "G(T http://a/ HTTP/1.1\n\n",            // '(' is not a token char
      "GET http://a/\u0001 HTTP/1.1\n\n",      // control in target
      "GET http://a/\u00e9 HTTP/1.1\n\n",      // non-ASCII in target
      "GET http://a/ HTTP/1.1\nHost : a\n\n",  // whitespace before colon
      "GET http://a/ HTTP/1.1\nHost a\n\n",    // no colon
      "GET http://a/ HTTP/1.1\n: a\n\n",       // empty name
      "GET http://a/ HTTP/1.1\nX-A: 1\n  folded\n\n", // obs-fold
      "GET http://a/ HTTP/1.1\nX-A: 1\n\tfolded\n\n", // obs-fold with tab
      "GET http://a/ HTTP/1.1\nX-A: a\u0000b\n\n",   // NUL in value
      "GET http://a/ HTTP/1.1\nX-A: a\rb\n\n",        // bare CR in value
      "GET http://a/ HTTP/1.1\nX\u00e9: 1\n\n",       // non-token name
  })
  void malformedHeadsAre400(String head) {
    assertEquals(400, status(head.replace("\n", "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
  }

  @Test
  void bareCrInRequestLineIs400() {
    assertEquals(400, status(ascii("GET http://a/\rHTTP/1.1\r\n\r\n")));
  }

  @ParameterizedTest
  @CsvSource({"HTTP/2.0", "HTTP/0.9", "HTTP/3.0"})
  void otherMajorVersionsAre505(String version) {
    assertEquals(505, status(crlf("GET http://a/ " + version + "\n\n")));
  }

  @Test
  void nonHttpIsRefusedAtTheFirstByte() {
    for (int b : new int[] {0x00, 0x04, 0x16, ' ', '(', 0x80, 0xFF}) {
      HttpRequestHeadParser p = new HttpRequestHeadParser(HttpLimits.DEFAULT);
      assertEquals(400, assertThrows(HttpRejection.class,
          () -> p.parse(Unpooled.wrappedBuffer(new byte[] {(byte) b}))).status(), "byte " + b);
    }
  }

  @Test
  void requestLineCapIs8KiB() {
    String prefix = "GET http://a/";
    String suffix = " HTTP/1.1";
    int pathLength = 8192 - prefix.length() - suffix.length();
    byte[] exactly = crlf(prefix + "x".repeat(pathLength) + suffix + "\n\n");
    assertNotNull(parseWhole(exactly));
    assertNotNull(parseBytewise(exactly));
    assertEquals(414, status(crlf(prefix + "x".repeat(pathLength + 1) + suffix + "\n\n")));
  }

  @Test
  void endlessRequestLineIsCutAtTheCap() {
    HttpRequestHeadParser p = new HttpRequestHeadParser(HttpLimits.DEFAULT);
    ByteBuf chunk = Unpooled.wrappedBuffer(Bytes.repeat('A', 1024));
    int fed = 0;
    HttpRejection e = null;
    while (e == null && fed < 1 << 20) {
      try {
        p.parse(chunk.duplicate());
        fed += 1024;
      } catch (HttpRejection r) {
        e = r;
      }
    }
    assertNotNull(e);
    assertEquals(414, e.status());
    assertEquals(8 * 1024, fed, "rejected with the chunk that crossed 8 KiB");
  }

  @Test
  void headCapIs64KiB() {
    StringBuilder sb = new StringBuilder("GET http://a/ HTTP/1.1\n");
    // 15 fields of 4 KiB: about 60 KiB, under the cap
    for (int i = 0; i < 15; i++) {
      sb.append("X-").append(i).append(": ").append("v".repeat(4000)).append('\n');
    }
    assertNotNull(parseWhole(crlf(sb + "\n")));
    sb.append("X-Big: ").append("v".repeat(8000)).append('\n');
    assertEquals(431, status(crlf(sb + "\n")));
  }

  @Test
  void oneHugeFieldIs431() {
    assertEquals(431, status(crlf("GET http://a/ HTTP/1.1\nX: " + "v".repeat(70_000) + "\n\n")));
  }

  @Test
  void fieldCountCapIs100() {
    StringBuilder sb = new StringBuilder("GET http://a/ HTTP/1.1\n");
    for (int i = 0; i < 100; i++) {
      sb.append("X-").append(i).append(": v\n");
    }
    assertEquals(100, parseWhole(crlf(sb + "\n")).fields().size());
    sb.append("X-100: v\n");
    assertEquals(431, status(crlf(sb + "\n")));
  }

  @Test
  void emptyLineFloodIsBoundedByTheHeadCap() {
    assertEquals(431, status(Bytes.concat(crlf("\n".repeat(40_000)), crlf("GET http://a/ HTTP/1.1\n\n"))));
  }

  @Test
  void fieldsToStringMasksCredentials() {
    HttpRequestHead h = parseWhole(crlf("GET http://a/ HTTP/1.1\nProxy-Authorization: Basic c2VjcmV0\n"
        + "Cookie: sid=topsecret\nX: shown\n\n"));
    String s = h.toString();
    assertFalse(s.contains("c2VjcmV0"), s);
    assertFalse(s.contains("topsecret"), s);
    assertEquals(true, s.contains("shown"));
  }
}
