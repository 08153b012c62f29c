package io.tt.common.proxy.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.TargetAddress;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import static io.tt.common.proxy.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every SOCKS5 message, byte for byte against the RFC 1928 / RFC 1929 layouts, both directions. */
class Socks5MessagesTest {

  private static byte[] encoded(java.util.function.Consumer<ByteBuf> encoder) {
    ByteBuf out = Unpooled.buffer();
    encoder.accept(out);
    return io.tt.common.proxy.Bytes.of(out);
  }

  /** Decodes the whole message; every proper prefix must give null and consume nothing; trailing bytes stay. */
  private static <T> T decodeAllWays(byte[] wire, Function<ByteBuf, T> decoder) {
    for (int n = 0; n < wire.length; n++) {
      ByteBuf prefix = Unpooled.wrappedBuffer(wire, 0, n);
      assertNull(decoder.apply(prefix), "prefix of " + n + " bytes");
      assertEquals(0, prefix.readerIndex(), "prefix of " + n + " bytes consumed something");
    }
    ByteBuf withTrailer = Unpooled.wrappedBuffer(wire, new byte[] {0x42});
    T message = decoder.apply(withTrailer);
    assertEquals(wire.length, withTrailer.readerIndex(), "consumed exactly the message");
    return message;
  }

  @Test
  void greetingLayout() {
    byte[] wire = hex("05 02 00 02");
    Socks5InitialRequest greeting = new Socks5InitialRequest(Socks5AuthMethod.NO_AUTH, Socks5AuthMethod.PASSWORD);
    assertArrayEquals(wire, encoded(greeting::encode));
    Socks5InitialRequest decoded = decodeAllWays(wire, Socks5InitialRequest::decode);
    assertEquals(greeting, decoded);
    assertTrue(decoded.offers(0x00));
    assertTrue(decoded.offers(0x02));
    assertFalse(decoded.offers(0x01));
    assertEquals(2, decoded.methodCount());
  }

  @Test
  void greetingWithZeroMethodsDecodesEmpty() {
    Socks5InitialRequest decoded = decodeAllWays(hex("05 00"), Socks5InitialRequest::decode);
    assertEquals(0, decoded.methodCount());
  }

  @Test
  void greetingWith255Methods() {
    byte[] wire = new byte[2 + 255];
    wire[0] = 5;
    wire[1] = (byte) 255;
    for (int i = 0; i < 255; i++) {
      wire[2 + i] = (byte) i;
    }
    Socks5InitialRequest decoded = decodeAllWays(wire, Socks5InitialRequest::decode);
    assertEquals(255, decoded.methodCount());
    assertTrue(decoded.offers(0xFE));
    assertFalse(decoded.offers(0xFF));
  }

  @Test
  void greetingWrongVersionIsRefusedAtFirstByte() {
    Socks5DecoderException e = assertThrows(Socks5DecoderException.class,
        () -> Socks5InitialRequest.decode(Unpooled.wrappedBuffer(hex("04"))));
    assertNull(e.replyCode());
  }

  @Test
  void methodSelectionLayout() {
    assertArrayEquals(hex("05 00"), encoded(new Socks5InitialResponse(0x00)::encode));
    assertArrayEquals(hex("05 02"), encoded(new Socks5InitialResponse(0x02)::encode));
    assertArrayEquals(hex("05 ff"), encoded(new Socks5InitialResponse(Socks5AuthMethod.NO_ACCEPTABLE)::encode));
    assertEquals(new Socks5InitialResponse(0xFF), decodeAllWays(hex("05 ff"), Socks5InitialResponse::decode));
    assertThrows(Socks5DecoderException.class, () -> Socks5InitialResponse.decode(Unpooled.wrappedBuffer(hex("04 00"))));
  }

  @Test
  void passwordRequestLayout() {
    byte[] wire = hex("01 05 616c696365 06 733363726574"); // alice / s3cret
    Socks5PasswordAuthRequest request = new Socks5PasswordAuthRequest(
        "alice".getBytes(StandardCharsets.US_ASCII), "s3cret".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(wire, encoded(request::encode));
    Socks5PasswordAuthRequest decoded = decodeAllWays(wire, Socks5PasswordAuthRequest::decode);
    assertArrayEquals("alice".getBytes(StandardCharsets.US_ASCII), decoded.username());
    assertArrayEquals("s3cret".getBytes(StandardCharsets.US_ASCII), decoded.password());
  }

  @Test
  void passwordRequestWithMaximalAndEmptyFields() {
    byte[] user = new byte[255];
    java.util.Arrays.fill(user, (byte) 'u');
    ByteBuf out = Unpooled.buffer();
    new Socks5PasswordAuthRequest(user, new byte[0]).encode(out);
    byte[] wire = io.tt.common.proxy.Bytes.of(out);
    assertEquals(1 + 1 + 255 + 1, wire.length);
    assertEquals((byte) 0xFF, wire[1]);
    assertEquals(0, wire[257]);
    Socks5PasswordAuthRequest decoded = decodeAllWays(wire, Socks5PasswordAuthRequest::decode);
    assertArrayEquals(user, decoded.username());
    assertEquals(0, decoded.password().length);
  }

  @Test
  void passwordRequestWrongVersion() {
    assertThrows(Socks5DecoderException.class,
        () -> Socks5PasswordAuthRequest.decode(Unpooled.wrappedBuffer(hex("05 01 61 01 62"))));
  }

  @Test
  void passwordNeverInToStringAndClearWipesIt() {
    Socks5PasswordAuthRequest request = new Socks5PasswordAuthRequest(
        "alice".getBytes(StandardCharsets.US_ASCII), "hunter2".getBytes(StandardCharsets.US_ASCII));
    assertFalse(request.toString().contains("hunter2"), request.toString());
    assertTrue(request.toString().contains("alice"));
    request.clear();
    assertArrayEquals(new byte[7], request.password());
  }

  @Test
  void passwordReplyLayout() {
    assertArrayEquals(hex("01 00"), encoded(new Socks5PasswordAuthResponse(0)::encode));
    assertArrayEquals(hex("01 01"), encoded(new Socks5PasswordAuthResponse(1)::encode));
    assertTrue(decodeAllWays(hex("01 00"), Socks5PasswordAuthResponse::decode).success());
    assertFalse(decodeAllWays(hex("01 01"), Socks5PasswordAuthResponse::decode).success());
  }

  @Test
  void connectRequestIpv4Layout() {
    byte[] wire = hex("05 01 00 01 c0000201 01bb"); // 192.0.2.1:443
    Socks5CommandRequest request = new Socks5CommandRequest(1, new TargetAddress("192.0.2.1", 443));
    assertArrayEquals(wire, encoded(request::encode));
    assertEquals(request, decodeAllWays(wire, Socks5CommandRequest::decode));
  }

  @Test
  void connectRequestIpv6Layout() {
    byte[] wire = hex("05 01 00 04 20010db8000000000000000000000001 0050"); // [2001:db8::1]:80
    Socks5CommandRequest decoded = decodeAllWays(wire, Socks5CommandRequest::decode);
    assertEquals(new TargetAddress("2001:db8::1", 80), decoded.target());
    assertArrayEquals(wire, encoded(decoded::encode));
  }

  @Test
  void connectRequestDomainLayout() {
    byte[] wire = hex("05 01 00 03 0b 6578616d706c652e636f6d 1f90"); // example.com:8080
    Socks5CommandRequest decoded = decodeAllWays(wire, Socks5CommandRequest::decode);
    assertEquals(new Socks5CommandRequest(1, new TargetAddress("example.com", 8080)), decoded);
    assertArrayEquals(wire, encoded(decoded::encode));
  }

  @Test
  void connectRequestWith255ByteDomain() {
    String name = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63);
    assertEquals(255, name.length());
    ByteBuf out = Unpooled.buffer();
    new Socks5CommandRequest(1, new TargetAddress(name, 443)).encode(out);
    byte[] wire = io.tt.common.proxy.Bytes.of(out);
    assertEquals(4 + 1 + 255 + 2, wire.length);
    assertEquals((byte) 0xFF, wire[4]);
    assertEquals(name, decodeAllWays(wire, Socks5CommandRequest::decode).target().host());
  }

  @Test
  void otherCommandsDecode() {
    assertEquals(2, decodeAllWays(hex("05 02 00 01 00000000 0000"), Socks5CommandRequest::decode).command());
    assertEquals(3, decodeAllWays(hex("05 03 00 01 00000000 0000"), Socks5CommandRequest::decode).command());
  }

  @Test
  void requestErrorsCarryTheirReplyCodeAsSoonAsKnown() {
    assertEquals(Socks5ReplyCode.GENERAL_FAILURE, assertThrows(Socks5DecoderException.class,
        () -> Socks5CommandRequest.decode(Unpooled.wrappedBuffer(hex("04")))).replyCode());
    assertEquals(Socks5ReplyCode.ADDRESS_TYPE_NOT_SUPPORTED, assertThrows(Socks5DecoderException.class,
        () -> Socks5CommandRequest.decode(Unpooled.wrappedBuffer(hex("05 01 00 02")))).replyCode());
    assertEquals(Socks5ReplyCode.ADDRESS_TYPE_NOT_SUPPORTED, assertThrows(Socks5DecoderException.class,
        () -> Socks5CommandRequest.decode(Unpooled.wrappedBuffer(hex("05 01 00 00")))).replyCode());
    assertEquals(Socks5ReplyCode.ADDRESS_TYPE_NOT_SUPPORTED, assertThrows(Socks5DecoderException.class,
        () -> Socks5CommandRequest.decode(Unpooled.wrappedBuffer(hex("05 01 00 ff")))).replyCode());
    assertEquals(Socks5ReplyCode.GENERAL_FAILURE, assertThrows(Socks5DecoderException.class,
        () -> Socks5CommandRequest.decode(Unpooled.wrappedBuffer(hex("05 01 00 03 00")))).replyCode());
  }

  @Test
  void replyLayouts() {
    assertArrayEquals(hex("05 00 00 01 00000000 0000"), encoded(Socks5CommandResponse.success()::encode));
    assertEquals(Socks5CommandResponse.UNSPECIFIED_LENGTH, hex("05 00 00 01 00000000 0000").length);
    int[] codes = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    for (int code : codes) {
      Socks5ReplyCode status = Socks5ReplyCode.fromCode(code);
      byte[] wire = hex(String.format("05 %02x 00 01 00000000 0000", code));
      assertArrayEquals(wire, encoded(Socks5CommandResponse.failure(status)::encode), status.name());
      assertEquals(status, decodeAllWays(wire, Socks5CommandResponse::decode).status());
    }
    assertArrayEquals(hex("05 00 00 01 00000000 0000"), io.tt.common.proxy.Bytes.of(Socks5CommandResponse.success().toByteBuf()));
  }

  @Test
  void replyWithDomainAndIpv6BoundAddress() {
    byte[] v6 = hex("05 00 00 04 00000000000000000000000000000001 1234");
    assertEquals(new TargetAddress("::1", 0x1234), decodeAllWays(v6, Socks5CommandResponse::decode).bound());
    byte[] name = hex("05 00 00 03 01 78 0001");
    assertEquals(new TargetAddress("x", 1), decodeAllWays(name, Socks5CommandResponse::decode).bound());
  }

  @Test
  void replyDecodeRejectsUnassignedCodeAndBadAtyp() {
    assertThrows(Socks5DecoderException.class,
        () -> Socks5CommandResponse.decode(Unpooled.wrappedBuffer(hex("05 09 00 01 00000000 0000"))));
    ByteBuf bad = Unpooled.wrappedBuffer(hex("05 00 00 07 00000000 0000"));
    assertThrows(Socks5DecoderException.class, () -> Socks5CommandResponse.decode(bad));
    assertEquals(0, bad.readerIndex());
  }

  @Test
  void replyCodeValues() {
    assertEquals(0x00, Socks5ReplyCode.SUCCEEDED.code());
    assertEquals(0x07, Socks5ReplyCode.COMMAND_NOT_SUPPORTED.code());
    assertEquals(0x08, Socks5ReplyCode.ADDRESS_TYPE_NOT_SUPPORTED.code());
    assertNull(Socks5ReplyCode.fromCode(0x09));
    assertNull(Socks5ReplyCode.fromCode(0xFF));
    for (Socks5ReplyCode c : Socks5ReplyCode.values()) {
      assertEquals(c, Socks5ReplyCode.fromCode(c.code()));
    }
  }
}
