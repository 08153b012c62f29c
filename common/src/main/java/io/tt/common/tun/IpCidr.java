package io.tt.common.tun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An interface address with its prefix, "10.1.0.2/24" or "fd00:7474::2/64". Parsing never
 * resolves names (only IP literals are accepted) and every rejection says what is wrong.
 */
public record IpCidr(InetAddress address, int prefixLength) {

  public IpCidr {
    int max = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 1 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length must be 1.." + max + ", got " + prefixLength);
    }
  }

  /** Parses and validates "address/prefix"; {@code what} names the setting in the error message. */
  public static IpCidr parse(String text, String what) {
    String label = what == null || what.isBlank() ? "TUN address" : what;
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(label + " is missing: give an address with its prefix, e.g. 10.1.0.2/24");
    }
    String s = text.strip();
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(label + " '" + s + "' has no prefix length: write it as address/prefix,"
          + " e.g. " + s + "/24");
    }
    String addrText = s.substring(0, slash);
    String prefixText = s.substring(slash + 1);
    boolean v6 = addrText.indexOf(':') >= 0;
    InetAddress addr = v6 ? parseV6(addrText, label, s) : parseV4(addrText, label, s);
    int max = v6 ? 128 : 32;
    int prefix;
    if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(label + " '" + s + "': prefix length '" + prefixText
          + "' is not a number from 1 to " + max);
    }
    prefix = Integer.parseInt(prefixText);
    if (prefix < 1 || prefix > max) {
      throw new IllegalArgumentException(label + " '" + s + "': prefix length " + prefix + " is outside 1.." + max);
    }
    if (addr.isAnyLocalAddress() || addr.isLoopbackAddress() || addr.isMulticastAddress()) {
      throw new IllegalArgumentException(label + " '" + s + "': " + addr.getHostAddress()
          + " is not a unicast address a device can have");
    }
    IpCidr cidr = new IpCidr(addr, prefix);
    if (prefix <= max - 2) { // /31, /32, /127, /128 have no network/broadcast address
      byte[] a = addr.getAddress();
      if (Arrays.equals(a, cidr.networkBytes())) {
        throw new IllegalArgumentException(label + " '" + s + "' is the network address of its subnet; give the"
            + " device a host address in it, e.g. " + cidr.firstHost().getHostAddress() + "/" + prefix);
      }
      if (!v6 && Arrays.equals(a, cidr.broadcastBytes())) {
        throw new IllegalArgumentException(label + " '" + s + "' is the broadcast address of its subnet; give the"
            + " device a host address in it, e.g. " + cidr.firstHost().getHostAddress() + "/" + prefix);
      }
    }
    return cidr;
  }

  public static IpCidr parse(String text) {
    return parse(text, null);
  }

  private static InetAddress parseV4(String a, String label, String whole) {
    String[] parts = a.split("\\.", -1);
    byte[] b = new byte[4];
    boolean ok = parts.length == 4;
    for (int i = 0; ok && i < 4; i++) {
      String p = parts[i];
      ok = !p.isEmpty() && p.length() <= 3 && p.chars().allMatch(c -> c >= '0' && c <= '9')
          && !(p.length() > 1 && p.charAt(0) == '0');
      if (ok) {
        int v = Integer.parseInt(p);
        ok = v <= 255;
        b[i] = (byte) v;
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(label + " '" + whole + "': '" + a
          + "' is not an IPv4 address (four numbers 0-255 without leading zeros, e.g. 10.1.0.2)");
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static InetAddress parseV6(String a, String label, String whole) {
    boolean charsOk = !a.isEmpty() && a.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
    if (charsOk) {
      try {
        InetAddress addr = InetAddress.getByName(a); // contains ':' so it is parsed as a literal, never resolved
        if (addr instanceof Inet6Address) {
          return addr;
        }
        if (addr instanceof Inet4Address) { // "::ffff:1.2.3.4" comes back as IPv4
          throw new IllegalArgumentException(label + " '" + whole + "': IPv4-mapped IPv6 addresses are not allowed;"
              + " give the IPv4 address as such");
        }
      } catch (UnknownHostException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(label + " '" + whole + "': '" + a + "' is not an IPv6 address (e.g. fd00:7474::2)");
  }

  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  /** The address without the prefix ("10.1.0.2"). */
  public String addressString() {
    return address.getHostAddress();
  }

  /** The subnet, "10.1.0.0/24". */
  public String networkString() {
    try {
      return InetAddress.getByAddress(networkBytes()).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Dotted netmask for IPv4 ("255.255.255.0"). */
  public String netmaskString() {
    if (isIpv6()) {
      throw new IllegalStateException("IPv6 has no dotted netmask; use the prefix length");
    }
    long m = prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
    return (m >>> 24) + "." + ((m >>> 16) & 0xff) + "." + ((m >>> 8) & 0xff) + "." + (m & 0xff);
  }

  byte[] networkBytes() {
    byte[] a = address.getAddress();
    for (int i = 0; i < a.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
      a[i] &= (byte) (0xff << (8 - bitsHere));
    }
    return a;
  }

  private byte[] broadcastBytes() {
    byte[] a = address.getAddress();
    for (int i = 0; i < a.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
      a[i] |= (byte) (0xff >>> bitsHere);
    }
    return a;
  }

  private InetAddress firstHost() {
    byte[] n = networkBytes();
    n[n.length - 1] |= 1;
    try {
      return InetAddress.getByAddress(n);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + prefixLength;
  }
}
