package io.tt.common.config;

import io.tt.common.crypto.AeadMethod;
import io.tt.common.schedule.PortRange;
import io.tt.common.wire.Padding;

import java.util.List;

/**
 * What both sides must agree on: keys, methods, port range, slot length, plus this side's padding and frame size.
 *
 * @param keys passwords; the first is used to dial, all are accepted (key rotation)
 * @param methods AEAD methods; the client uses the first, the server accepts all
 * @param windowSeconds largest accepted clock difference in a first frame's timestamp
 */
public record TunnelSettings(List<Secret> keys, List<AeadMethod> methods, PortRange portRange, int slotSeconds,
                             Padding padding, int frameSize, int windowSeconds) {

  public static final String DEFAULT_METHOD = "chacha20-poly1305";
  public static final String DEFAULT_PORT_RANGE = "1024-65535";
  public static final int DEFAULT_SLOT_SECONDS = 60;
  public static final int DEFAULT_FRAME_SIZE = 65535;

  public TunnelSettings {
    keys = List.copyOf(keys);
    methods = List.copyOf(methods);
  }

  static TunnelSettings from(ConfigValues c) {
    List<Secret> keys = KeySources.resolve(c);
    List<String> methodNames = c.list("methods");
    if (methodNames.isEmpty()) {
      methodNames = List.of(DEFAULT_METHOD);
    }
    List<AeadMethod> methods;
    try {
      methods = methodNames.stream().map(AeadMethod::fromName).distinct().toList();
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("methods", e.getMessage());
    }
    PortRange range;
    try {
      range = PortRange.parse(c.has("port-range") ? c.string("port-range") : DEFAULT_PORT_RANGE);
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("port-range", e.getMessage());
    }
    int slot = c.integer("slot-seconds", DEFAULT_SLOT_SECONDS, 1, 86400);
    Padding padding;
    try {
      padding = c.has("padding") ? Padding.fromName(c.string("padding")) : Padding.AUTO;
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("padding", e.getMessage());
    }
    int frame = c.integer("frame-size", DEFAULT_FRAME_SIZE, 1024, 65535);
    // A client whose clock is a whole slot off must still pass, with room for ordinary drift on top.
    int window = c.integer("timestamp-window", slot + 30, 1, 86400 * 2);
    return new TunnelSettings(keys, methods, range, slot, padding, frame, window);
  }

  @Override
  public String toString() {
    return "TunnelSettings[keys=" + keys.size() + ", methods=" + methods + ", portRange=" + portRange
        + ", slotSeconds=" + slotSeconds + ", padding=" + padding + ", frameSize=" + frameSize
        + ", windowSeconds=" + windowSeconds + "]";
  }
}
