package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.tt.common.proxy.Bytes.ascii;
import static io.tt.common.proxy.Bytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkedBodyScannerTest {

  /** Body length found scanning the whole input at once. */
  static int endWhole(byte[] input) {
    ChunkedBodyScanner s = new ChunkedBodyScanner(HttpLimits.DEFAULT);
    int n = s.scan(Unpooled.wrappedBuffer(input));
    throwIfFailed(s);
    return s.done() ? n : -1;
  }

  /** Body length found scanning one byte per call (reader index moved by the caller, as framers do). */
  static int endBytewise(byte[] input) {
    ChunkedBodyScanner s = new ChunkedBodyScanner(HttpLimits.DEFAULT);
    ByteBuf in = Unpooled.wrappedBuffer(input);
    int total = 0;
    while (in.isReadable() && !s.done()) {
      ByteBuf one = in.readSlice(1);
      total += s.scan(one);
      throwIfFailed(s);
    }
    return s.done() ? total : -1;
  }

  static void throwIfFailed(ChunkedBodyScanner s) {
    if (s.failure() != null) {
      throw s.failure();
    }
  }

  /** Body length found with the input cut in two at every position. */
  static void assertSameEndAtEveryCut(byte[] input, int expected) {
    for (int at = 0; at <= input.length; at++) {
      ChunkedBodyScanner s = new ChunkedBodyScanner(HttpLimits.DEFAULT);
      int n = s.scan(Unpooled.wrappedBuffer(input, 0, at));
      if (!s.done()) {
        n += s.scan(Unpooled.wrappedBuffer(input, at, input.length - at));
      }
      assertTrue(s.done(), "cut at " + at);
      assertEquals(expected, n, "cut at " + at);
    }
  }

  static int status(byte[] input) {
    int whole = assertThrows(HttpRejection.class, () -> endWhole(input)).status();
    assertEquals(whole, assertThrows(HttpRejection.class, () -> endBytewise(input)).status());
    return whole;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "5\r\nhello\r\n0\r\n\r\n",
      "5\nhello\n0\n\n",                                    // bare LF line ends
      "A\r\n0123456789\r\n1\r\nx\r\n0\r\n\r\n",
      "5;ext=1;q=\"v\"\r\nhello\r\n0;last\r\n\r\n",          // extensions
      "5 ;ext\r\nhello\r\n0\r\n\r\n",                         // BWS before extension
      "0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n",              // trailers
      "000005\r\nhello\r\n00\r\n\r\n",                        // leading zeros
      "0\r\n\r\n",
  })
  void findsTheEndExactly(String body) {
    byte[] input = concat(ascii(body), ascii("GET next"));
    int expected = body.length();
    assertEquals(expected, endWhole(input));
    assertEquals(expected, endBytewise(input));
    assertSameEndAtEveryCut(input, expected);
  }

  @Test
  void largeChunkIsSkippedInBulk() {
    byte[] data = new byte[1 << 20];
    byte[] input = concat(ascii("100000\r\n"), data, ascii("\r\n0\r\n\r\n"));
    assertEquals(input.length, endWhole(input));
  }

  @Test
  void incompleteBodyIsNotDone() {
    ChunkedBodyScanner s = new ChunkedBodyScanner(HttpLimits.DEFAULT);
    assertEquals(10, s.scan(Unpooled.wrappedBuffer(ascii("5\r\nhello\r\n"))));
    assertFalse(s.done());
    assertEquals(3, s.scan(Unpooled.wrappedBuffer(ascii("0\r\n"))));
    assertFalse(s.done(), "trailer section still open");
    assertEquals(2, s.scan(Unpooled.wrappedBuffer(ascii("\r\nX"))));
    assertTrue(s.done());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "x\r\n",                     // not hex
      "\r\n",                      // empty size
      ";ext\r\n",                  // extension without size
      "-1\r\n",                    // negative
      "+5\r\nhello\r\n",
      "5x\r\nhello\r\n",
      "5\rhello\r\n",              // CR without LF
      "5\r\nhelloX0\r\n\r\n",      // data longer than its size
      "5\r\nhello\r0\r\n",         // CR after data without LF
      "5;a\u0000b\r\nhello\r\n",   // NUL in extension
      "1000000000000000\r\n",      // 16 hex digits
      "fffffffffffffffffff\r\n",   // would overflow
      "0\r\n X: folded\r\n\r\n",   // obs-fold in trailer
      "0\r\nX : 1\r\n\r\n",        // space before colon in trailer
      "0\r\nX: a\u0001b\r\n\r\n",  // control in trailer
      "0\r\n\r\r",                 // CR without LF at the end
  })
  void malformedChunksAre400(String body) {
    assertEquals(400, status(ascii(body)));
  }

  @Test
  void goodBytesBeforeABadOneAreCountedAndLaterScansStop() {
    ChunkedBodyScanner s = new ChunkedBodyScanner(HttpLimits.DEFAULT);
    assertEquals(7, s.scan(Unpooled.wrappedBuffer(ascii("2\r\nok\r\nzz\r\n"))));
    assertEquals(400, s.failure().status());
    assertEquals(0, s.scan(Unpooled.wrappedBuffer(ascii("0\r\n\r\n"))));
    assertFalse(s.done());
  }

  @Test
  void overlongChunkSizeLineIs400() {
    byte[] ok = concat(ascii("1;"), ascii("e".repeat(4096 - 2)), ascii("\r\nx\r\n0\r\n\r\n"));
    assertEquals(ok.length, endWhole(ok));
    byte[] tooLong = concat(ascii("1;"), ascii("e".repeat(4096 - 1)), ascii("\r\nx\r\n0\r\n\r\n"));
    assertEquals(400, status(tooLong));
    // an endless extension is refused at the cap, not buffered (nothing is buffered at all)
    assertEquals(400, status(concat(ascii("1;"), ascii("e".repeat(1 << 20)))));
    // so are endless leading zeros
    assertEquals(400, status(ascii("0".repeat(5000) + "1\r\nx\r\n0\r\n\r\n")));
  }

  @Test
  void trailerCapsAre431() {
    StringBuilder many = new StringBuilder("0\r\n");
    for (int i = 0; i < 101; i++) {
      many.append("X").append(i).append(": v\r\n");
    }
    assertEquals(431, status(ascii(many + "\r\n")));
    assertEquals(431, status(ascii("0\r\nX: " + "v".repeat(70_000) + "\r\n\r\n")));
  }

  @Test
  void resetStartsANewBody() {
    ChunkedBodyScanner s = new ChunkedBodyScanner(HttpLimits.DEFAULT);
    s.scan(Unpooled.wrappedBuffer(ascii("0\r\n\r\n")));
    assertTrue(s.done());
    s.reset();
    assertFalse(s.done());
    assertEquals(11, s.scan(Unpooled.wrappedBuffer(ascii("1\r\na\r\n0\r\n\r\nX"))));
    assertTrue(s.done());
  }
}
