package io.tt.bench;

import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;

/** Prints which AEAD implementation serves each method on this JDK and machine (for the bench report). */
public final class CryptoInfo {

  private CryptoInfo() {
  }

  public static void main(String[] args) {
    StringBuilder sb = new StringBuilder();
    for (AeadMethod m : AeadMethod.values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(m.wireName()).append(" by ").append(Aeads.implementation(m));
    }
    System.out.println(sb);
  }
}
