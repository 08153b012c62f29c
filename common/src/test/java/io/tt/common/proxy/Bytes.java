package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helpers for writing expected bytes readably. */
public final class Bytes {

  private Bytes() {
  }

  /** Hex with optional spaces, e.g. {@code "05 01 00"}. */
  public static byte[] hex(String hex) {
    return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
  }

  public static String hex(byte[] bytes) {
    return ByteBufUtil.hexDump(bytes);
  }

  /** HTTP text with {@code \n} meaning CRLF unless {@code lf} says otherwise. */
  public static byte[] crlf(String text) {
    return text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  public static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  public static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** The readable bytes, without moving the reader index. */
  public static byte[] of(ByteBuf buf) {
    return ByteBufUtil.getBytes(buf, buf.readerIndex(), buf.readableBytes());
  }

  public static String text(ByteBuf buf) {
    return text(of(buf));
  }

  public static ByteBuf buf(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] repeat(char c, int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) c);
    return b;
  }
}
