package io.tt.common.proxy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyAuthTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void noneAcceptsAnything() {
    ProxyAuth none = ProxyAuth.none();
    assertFalse(none.required());
    assertTrue(none.check(utf8("x"), utf8("y")));
    assertTrue(none.check(null, null));
  }

  @Test
  void usernamePasswordChecksBothExactly() {
    ProxyAuth auth = ProxyAuth.usernamePassword("alice", "pässwörd");
    assertTrue(auth.required());
    assertTrue(auth.check(utf8("alice"), utf8("pässwörd")));
    assertFalse(auth.check(utf8("alice"), utf8("pässwörD")));
    assertFalse(auth.check(utf8("Alice"), utf8("pässwörd")));
    assertFalse(auth.check(utf8("alice"), utf8("pässwörd ")));
    assertFalse(auth.check(utf8("alice"), new byte[0]));
    assertFalse(auth.check(null, utf8("pässwörd")));
  }

  @Test
  void passwordNeverInToString() {
    ProxyAuth auth = ProxyAuth.usernamePassword("alice", "hunter2");
    assertFalse(auth.toString().contains("hunter2"), auth.toString());
    assertTrue(auth.toString().contains("alice"));
  }

  @Test
  void invalidCredentialsAreRefusedWithoutQuotingThePassword() {
    String[] messages = {
        assertThrows(IllegalArgumentException.class, () -> ProxyAuth.usernamePassword("a:b", "hunter2")).getMessage(),
        assertThrows(IllegalArgumentException.class, () -> ProxyAuth.usernamePassword("", "hunter2")).getMessage(),
        assertThrows(IllegalArgumentException.class, () -> ProxyAuth.usernamePassword("a", "")).getMessage(),
        assertThrows(IllegalArgumentException.class,
            () -> ProxyAuth.usernamePassword("a", "hunter2" + "x".repeat(250))).getMessage(),
    };
    for (String m : messages) {
      assertFalse(m.contains("hunter2"), m);
    }
  }

  @Test
  void fieldsUpTo255BytesAreAccepted() {
    ProxyAuth auth = ProxyAuth.usernamePassword("u".repeat(255), "p".repeat(255));
    assertTrue(auth.check(utf8("u".repeat(255)), utf8("p".repeat(255))));
  }
}
