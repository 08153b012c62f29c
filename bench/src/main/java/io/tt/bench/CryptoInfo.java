package io.tt.bench;

import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;

/** Prints which AEAD implementation serves each method on this JDK and machine (for the bench report). */
public final class CryptoInfo {

  private CryptoInfo() {
  }

  public static void main(String[] args) {
    System.out.println(Aeads.describe(java.util.List.of(AeadMethod.values()))
        + "; frames sent from heap arrays: " + io.tt.common.net.HeapSend.describe());
  }
}
