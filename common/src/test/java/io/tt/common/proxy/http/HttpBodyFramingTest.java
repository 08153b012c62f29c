package io.tt.common.proxy.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpBodyFramingTest {

  /** Fields from "Name: value" pairs. */
  static HttpFields fields(String... lines) {
    List<HttpField> list = new ArrayList<>();
    for (String l : lines) {
      int c = l.indexOf(':');
      list.add(new HttpField(l.substring(0, c), l.substring(c + 1).trim()));
    }
    return new HttpFields(list);
  }

  static HttpBodyFraming request(String... lines) {
    return HttpBodyFraming.forRequest(fields(lines), 1);
  }

  static HttpBodyFraming response(int status, boolean head, String... lines) {
    return HttpBodyFraming.forResponse(new HttpResponseHead(1, status, "", fields(lines)), head);
  }

  @Test
  void requestFraming() {
    assertEquals(HttpBodyFraming.NONE, request());
    assertEquals(HttpBodyFraming.NONE, request("Content-Length: 0"));
    assertEquals(new HttpBodyFraming(HttpBodyFraming.Kind.LENGTH, 42), request("content-length: 42"));
    assertEquals(new HttpBodyFraming(HttpBodyFraming.Kind.LENGTH, 7), request("Content-Length: 007"));
    assertEquals(new HttpBodyFraming(HttpBodyFraming.Kind.LENGTH, 999_999_999_999_999_999L),
        request("Content-Length: 999999999999999999"));
    assertEquals(HttpBodyFraming.CHUNKED, request("Transfer-Encoding: chunked"));
    assertEquals(HttpBodyFraming.CHUNKED, request("Transfer-Encoding: CHUNKED"));
    assertEquals(HttpBodyFraming.CHUNKED, request("Transfer-Encoding: gzip, chunked"));
    assertEquals(HttpBodyFraming.CHUNKED, request("Transfer-Encoding: gzip", "Transfer-Encoding: chunked"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Content-Length: -1",
      "Content-Length: +5",
      "Content-Length: 5 5",
      "Content-Length: 5,5",
      "Content-Length: 0x10",
      "Content-Length: 1e3",
      "Content-Length: ",
      "Content-Length: 9223372036854775808",  // Long.MAX_VALUE + 1
      "Content-Length: 99999999999999999999999999",
      "Transfer-Encoding: gzip",
      "Transfer-Encoding: chunked, gzip",
      "Transfer-Encoding: chunked, chunked",
      "Transfer-Encoding: ",
      "Transfer-Encoding: identity",
  })
  void badRequestFramingIs400(String field) {
    assertEquals(400, assertThrows(HttpRejection.class, () -> request(field)).status());
  }

  @Test
  void smugglingShapesAre400() {
    assertEquals(400, assertThrows(HttpRejection.class,
        () -> request("Content-Length: 5", "Transfer-Encoding: chunked")).status());
    assertEquals(400, assertThrows(HttpRejection.class,
        () -> request("Transfer-Encoding: chunked", "Content-Length: 0")).status());
    assertEquals(400, assertThrows(HttpRejection.class,
        () -> request("Content-Length: 5", "Content-Length: 5")).status());
    assertEquals(400, assertThrows(HttpRejection.class,
        () -> request("Content-Length: 5", "Content-Length: 6")).status());
    assertEquals(400, assertThrows(HttpRejection.class,
        () -> HttpBodyFraming.forRequest(fields("Transfer-Encoding: chunked"), 0)).status());
  }

  @Test
  void responseFraming() {
    assertEquals(HttpBodyFraming.NONE, response(204, false, "Content-Length: 10"));
    assertEquals(HttpBodyFraming.NONE, response(304, false, "Content-Length: 10"));
    assertEquals(HttpBodyFraming.NONE, response(100, false));
    assertEquals(HttpBodyFraming.NONE, response(200, true, "Content-Length: 10"));
    assertEquals(HttpBodyFraming.NONE, response(200, true, "Transfer-Encoding: chunked"));
    assertEquals(HttpBodyFraming.UNTIL_CLOSE, response(200, false));
    assertEquals(HttpBodyFraming.UNTIL_CLOSE, response(200, false, "Transfer-Encoding: gzip"));
    assertEquals(HttpBodyFraming.CHUNKED, response(200, false, "Transfer-Encoding: chunked"));
    assertEquals(new HttpBodyFraming(HttpBodyFraming.Kind.LENGTH, 10), response(404, false, "Content-Length: 10"));
    assertEquals(HttpBodyFraming.NONE, response(200, false, "Content-Length: 0"));
    assertThrows(HttpRejection.class, () -> response(200, false, "Content-Length: 1", "Transfer-Encoding: chunked"));
    assertThrows(HttpRejection.class, () -> response(200, false, "Content-Length: x"));
    assertThrows(HttpRejection.class, () -> HttpBodyFraming.forResponse(
        new HttpResponseHead(0, 200, "", fields("Transfer-Encoding: chunked")), false));
  }
}
