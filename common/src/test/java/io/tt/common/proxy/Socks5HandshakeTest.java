package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.tt.common.proxy.Bytes.concat;
import static io.tt.common.proxy.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SOCKS5 through the {@link ProxyHandshake} facade: replies byte for byte, policy, hostile input. */
class Socks5HandshakeTest {

  static final ProxyAuth ALICE = ProxyAuth.usernamePassword("alice", "s3cret");

  static final byte[] GREET_NOAUTH = hex("05 01 00");
  static final byte[] GREET_BOTH = hex("05 02 00 02");
  static final byte[] AUTH_OK = hex("01 05 616c696365 06 733363726574");
  static final byte[] AUTH_BAD = hex("01 05 616c696365 06 733363726575");
  static final byte[] CONNECT_V4 = hex("05 01 00 01 c0000201 01bb");
  static final byte[] CONNECT_V6 = hex("05 01 00 04 20010db8000000000000000000000001 0050");
  static final byte[] CONNECT_NAME = hex("05 01 00 03 0b 6578616d706c652e636f6d 1f90");
  static final String OK_REPLY = "05000001000000000000";

  record Case(String name, ProxyAuth auth, byte[] input, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Each case: input, and the transcript prefix: outcome and bytes the client gets (hex). */
  static Stream<Case> cases() {
    return Stream.of(
        new Case("no-auth ipv4", ProxyAuth.none(), concat(GREET_NOAUTH, CONNECT_V4),
            "connect SOCKS5 | client=0500" + OK_REPLY + " | tunnels=[192.0.2.1:443=]"),
        new Case("no-auth ipv6", ProxyAuth.none(), concat(GREET_NOAUTH, CONNECT_V6),
            "connect SOCKS5 | client=0500" + OK_REPLY + " | tunnels=[[2001:db8::1]:80=]"),
        new Case("no-auth domain + early data", ProxyAuth.none(), concat(GREET_NOAUTH, CONNECT_NAME, hex("16 0301")),
            "connect SOCKS5 | client=0500" + OK_REPLY + " | tunnels=[example.com:8080=160301]"),
        new Case("no-auth preferred when both offered", ProxyAuth.none(), concat(GREET_BOTH, CONNECT_V4),
            "connect SOCKS5 | client=0500" + OK_REPLY + " | tunnels=[192.0.2.1:443=]"),
        new Case("password ok", ALICE, concat(GREET_BOTH, AUTH_OK, CONNECT_V4),
            "connect SOCKS5 | client=05020100" + OK_REPLY + " | tunnels=[192.0.2.1:443=]"),
        new Case("password only offered, none configured: any credentials", ProxyAuth.none(),
            concat(hex("05 01 02"), AUTH_BAD, CONNECT_V4),
            "connect SOCKS5 | client=05020100" + OK_REPLY + " | tunnels=[192.0.2.1:443=]"),
        new Case("wrong password", ALICE, concat(GREET_BOTH, AUTH_BAD, CONNECT_V4),
            "fail: SOCKS5 authentication failed | client=05020101 | tunnels=[]"),
        new Case("credentials required, client offers no-auth only", ALICE, concat(GREET_NOAUTH, CONNECT_V4),
            "fail: no acceptable SOCKS5 authentication method | client=05ff | tunnels=[]"),
        new Case("gssapi only", ProxyAuth.none(), hex("05 01 01"),
            "fail: no acceptable SOCKS5 authentication method | client=05ff | tunnels=[]"),
        new Case("zero methods", ProxyAuth.none(), hex("05 00"),
            "fail: no acceptable SOCKS5 authentication method | client=05ff | tunnels=[]"),
        new Case("auth sub-negotiation wrong version", ALICE, concat(GREET_BOTH, hex("05 05 616c696365")),
            "fail: malformed SOCKS5 password: username/password version is not 1 | client=05020101 | tunnels=[]"),
        new Case("bind", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 02 00 01 00000000 0000")),
            "fail: SOCKS5 request refused: COMMAND_NOT_SUPPORTED | client=050005070001000000000000 | tunnels=[]"),
        new Case("udp associate", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 03 00 01 00000000 0000")),
            "fail: SOCKS5 request refused: COMMAND_NOT_SUPPORTED | client=050005070001000000000000 | tunnels=[]"),
        new Case("unknown command", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 09 00 01 00000000 0000")),
            "fail: SOCKS5 request refused: COMMAND_NOT_SUPPORTED | client=050005070001000000000000 | tunnels=[]"),
        new Case("atyp 2", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 02 00000000 0000")),
            "fail: malformed SOCKS5 request: unknown address type | client=050005080001000000000000 | tunnels=[]"),
        new Case("atyp 0xff, truncated", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 ff")),
            "fail: malformed SOCKS5 request: unknown address type | client=050005080001000000000000 | tunnels=[]"),
        new Case("empty domain", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 03 00 0050")),
            "fail: malformed SOCKS5 request: empty domain name | client=050005010001000000000000 | tunnels=[]"),
        new Case("request version 4", ProxyAuth.none(), concat(GREET_NOAUTH, hex("04 01 00 01 7f000001 0050")),
            "fail: malformed SOCKS5 request: request version is not 5 | client=050005010001000000000000 | tunnels=[]"),
        new Case("domain with control byte", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 03 03 61 0a 62 0050")),
            "fail: SOCKS5 request refused: HOST_UNREACHABLE | client=050005040001000000000000 | tunnels=[]"),
        new Case("domain with non-ASCII bytes", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 03 02 c3a9 0050")),
            "fail: SOCKS5 request refused: HOST_UNREACHABLE | client=050005040001000000000000 | tunnels=[]"),
        new Case("port 0", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 01 7f000001 0000")),
            "fail: SOCKS5 request refused: GENERAL_FAILURE | client=050005010001000000000000 | tunnels=[]"),
        new Case("ipv6 literal as domain", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 03 03 3a3a31 0050")),
            "connect SOCKS5 | client=0500" + OK_REPLY + " | tunnels=[[::1]:80=]"),
        new Case("truncated greeting", ProxyAuth.none(), hex("05 03 00"),
            "incomplete | client= | tunnels=[]"),
        new Case("truncated request", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 03 ff 6162")),
            "incomplete | client=0500 | tunnels=[]"),
        new Case("255-byte domain", ProxyAuth.none(), concat(GREET_NOAUTH, hex("05 01 00 03 ff"),
            Bytes.repeat('a', 255), hex("0050")),
            "connect SOCKS5 | client=0500" + OK_REPLY + " | tunnels=[" + "a".repeat(255) + ":80=]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wholeInput(Case c) {
    assertEquals(c.expected(), ProxyDriver.run(c.auth(), c.input(), Integer.MAX_VALUE).toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void oneByteAtATime(Case c) {
    assertEquals(c.expected(), ProxyDriver.run(c.auth(), c.input(), 1).toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void cutAtEveryBoundary(Case c) {
    for (int at = 0; at <= c.input().length; at++) {
      ProxyDriver.Transcript t = ProxyDriver.run(c.auth(), io.tt.common.proxy.http.HttpLimits.DEFAULT,
          ProxyDriver.cutAt(c.input(), at));
      assertEquals(c.expected(), t.toString(), "cut at " + at);
    }
  }

  @Test
  void stepByStepRepliesWhenClientWaits() {
    ProxyHandshake hs = new ProxyHandshake(ALICE);
    HandshakeResult r1 = hs.feed(Unpooled.wrappedBuffer(GREET_BOTH));
    assertArrayEquals(hex("05 02"), Bytes.of(assertInstanceOf(HandshakeResult.Reply.class, r1).bytes()));
    HandshakeResult r2 = hs.feed(Unpooled.wrappedBuffer(AUTH_OK));
    assertArrayEquals(hex("01 00"), Bytes.of(assertInstanceOf(HandshakeResult.Reply.class, r2).bytes()));
    assertSame(HandshakeResult.NeedMore.INSTANCE, hs.feed(Unpooled.wrappedBuffer(hex("05 01"))));
    HandshakeResult r3 = hs.feed(Unpooled.wrappedBuffer(hex("00 01 7f000001 0016")));
    HandshakeResult.Connect c = assertInstanceOf(HandshakeResult.Connect.class, r3);
    assertEquals(new TargetAddress("127.0.0.1", 22), c.target());
    assertEquals(HandshakeResult.Connect.Mode.SOCKS5, c.mode());
    assertArrayEquals(hex(OK_REPLY), Bytes.of(c.successReply()));
    assertFalse(c.toTarget().isReadable());
    assertFalse(c.leftover().isReadable());
    assertEquals("socks5", hs.protocol());
  }

  @Test
  void failureRepliesMapConnectFailures() {
    ProxyHandshake hs = new ProxyHandshake(ProxyAuth.none());
    HandshakeResult.Connect c = (HandshakeResult.Connect) hs.feed(Unpooled.wrappedBuffer(concat(GREET_NOAUTH, CONNECT_V4)));
    // the method selection was owed: it precedes the final reply
    assertArrayEquals(hex("0500 05050001000000000000"), Bytes.of(c.failureReply(ConnectFailure.REFUSED)));
    assertArrayEquals(hex("0500 05040001000000000000"), Bytes.of(c.failureReply(ConnectFailure.HOST_UNREACHABLE)));
    assertArrayEquals(hex("0500 05030001000000000000"), Bytes.of(c.failureReply(ConnectFailure.NETWORK_UNREACHABLE)));
    assertArrayEquals(hex("0500 05060001000000000000"), Bytes.of(c.failureReply(ConnectFailure.TIMEOUT)));
    assertArrayEquals(hex("0500 05020001000000000000"), Bytes.of(c.failureReply(ConnectFailure.NOT_ALLOWED)));
    assertArrayEquals(hex("0500 05010001000000000000"), Bytes.of(c.failureReply(ConnectFailure.GENERAL)));
    // successReply may be asked for twice (a new buffer each time)
    assertArrayEquals(Bytes.of(c.successReply()), Bytes.of(c.successReply()));
  }

  @Test
  void leftoverIsHandedOverUncopiedAndFeedAfterTheEndIsABug() {
    ProxyHandshake hs = new ProxyHandshake(ProxyAuth.none());
    hs.feed(Unpooled.wrappedBuffer(GREET_NOAUTH));
    ByteBuf in = Unpooled.wrappedBuffer(concat(CONNECT_V4, hex("deadbeef")));
    HandshakeResult.Connect c = (HandshakeResult.Connect) hs.feed(in);
    assertFalse(in.isReadable(), "feed takes all input");
    assertArrayEquals(hex("deadbeef"), Bytes.of(c.leftover()));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> hs.feed(Unpooled.wrappedBuffer(hex("00"))));
  }

  @Test
  void emptyFeedNeedsMore() {
    ProxyHandshake hs = new ProxyHandshake(ProxyAuth.none());
    assertSame(HandshakeResult.NeedMore.INSTANCE, hs.feed(Unpooled.EMPTY_BUFFER));
    assertEquals(null, hs.protocol());
  }

  @Test
  void wrongPasswordNeverShowsInResults() {
    ProxyHandshake hs = new ProxyHandshake(ALICE);
    hs.feed(Unpooled.wrappedBuffer(GREET_BOTH));
    HandshakeResult r = hs.feed(Unpooled.wrappedBuffer(hex("01 05 616c696365 07 68756e74657232"))); // hunter2
    HandshakeResult.Fail f = assertInstanceOf(HandshakeResult.Fail.class, r);
    assertFalse(f.reason().contains("hunter2"));
    assertFalse(f.toString().contains("hunter2"));
    assertTrue(f.reason().contains("authentication failed"));
  }

  @Test
  void garbageAfterAGreetingNeverBuffersBeyondOneMessage() {
    // A client that sends a greeting and then keeps sending an endless auth request: at most 513 bytes matter.
    ProxyHandshake hs = new ProxyHandshake(ALICE);
    hs.feed(Unpooled.wrappedBuffer(GREET_BOTH));
    HandshakeResult r = hs.feed(Unpooled.wrappedBuffer(concat(hex("01 ff"), Bytes.repeat('u', 255), hex("ff"),
        Bytes.repeat('p', 255), Bytes.repeat('x', 10_000))));
    assertInstanceOf(HandshakeResult.Fail.class, r);
  }
}
