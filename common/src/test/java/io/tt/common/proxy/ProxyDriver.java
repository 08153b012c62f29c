package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.http.HttpLimits;
import io.tt.common.proxy.http.HttpProxyResponses;
import io.tt.common.proxy.http.HttpRequestFramer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plays the I/O handler of package-info's sketch against in-memory input, the way client-verticle will: feeds the
 * handshake, "opens" tunnels (they always succeed), then runs the request framer. The transcript records what
 * each side would have received, so feeding the same input split differently must give an equal transcript.
 */
public final class ProxyDriver {

  /** What the client and each tunnel received, and how it ended. */
  public record Transcript(String outcome, byte[] toClient, List<String> tunnels) {

    public String clientText() {
      return Bytes.text(toClient);
    }

    /** Comparable form: outcome, client bytes in hex, each tunnel as target + hex. */
    @Override
    public String toString() {
      return outcome + " | client=" + Bytes.hex(toClient) + " | tunnels=" + tunnels;
    }
  }

  private final ProxyHandshake handshake;
  private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
  private final List<TargetAddress> targets = new ArrayList<>();
  private final List<ByteArrayOutputStream> tunnelBytes = new ArrayList<>();
  private String outcome = "incomplete";
  private boolean closed;
  private boolean raw;
  private HttpRequestFramer framer;

  private ProxyDriver(ProxyAuth auth, HttpLimits limits) {
    this.handshake = new ProxyHandshake(auth, limits);
  }

  public static Transcript run(ProxyAuth auth, byte[] input, int chunkSize) {
    return run(auth, HttpLimits.DEFAULT, split(input, chunkSize));
  }

  public static Transcript run(ProxyAuth auth, HttpLimits limits, List<byte[]> chunks) {
    ProxyDriver d = new ProxyDriver(auth, limits);
    for (byte[] chunk : chunks) {
      if (d.closed) {
        break;
      }
      d.onData(Unpooled.wrappedBuffer(chunk));
    }
    List<String> tunnels = new ArrayList<>();
    for (int i = 0; i < d.targets.size(); i++) {
      tunnels.add(d.targets.get(i) + "=" + Bytes.hex(d.tunnelBytes.get(i).toByteArray()));
    }
    return new Transcript(d.outcome, d.toClient.toByteArray(), tunnels);
  }

  /** The input cut into pieces of {@code chunkSize} bytes (the last may be shorter). */
  public static List<byte[]> split(byte[] input, int chunkSize) {
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < input.length; i += chunkSize) {
      chunks.add(Arrays.copyOfRange(input, i, Math.min(input.length, i + chunkSize)));
    }
    return chunks;
  }

  /** The input cut in two at {@code at}. */
  public static List<byte[]> cutAt(byte[] input, int at) {
    return List.of(Arrays.copyOfRange(input, 0, at), Arrays.copyOfRange(input, at, input.length));
  }

  private void onData(ByteBuf in) {
    if (raw) {
      write(tunnel(), in);
      return;
    }
    if (framer != null) {
      drain(in);
      return;
    }
    HandshakeResult r = handshake.feed(in);
    if (in.isReadable()) {
      throw new AssertionError("feed left input unread");
    }
    if (r instanceof HandshakeResult.Reply reply) {
      write(toClient, reply.bytes());
    } else if (r instanceof HandshakeResult.Fail fail) {
      write(toClient, fail.bytes());
      outcome = "fail: " + fail.reason();
      closed = true;
    } else if (r instanceof HandshakeResult.Connect c) {
      outcome = "connect " + c.mode();
      open(c.target());
      write(toClient, c.successReply());
      write(tunnel(), c.toTarget());
      if (c.mode() == HandshakeResult.Connect.Mode.HTTP_FORWARD) {
        framer = c.requestFramer();
        drain(c.leftover());
      } else {
        raw = true;
        write(tunnel(), c.leftover());
      }
    }
  }

  private void drain(ByteBuf in) {
    while (!closed) {
      HttpRequestFramer.Event e = framer.next(in);
      if (e instanceof HttpRequestFramer.NeedMore) {
        if (in.isReadable()) {
          throw new AssertionError("NeedMore with input left");
        }
        return;
      }
      if (e instanceof HttpRequestFramer.RequestHead h) {
        if (h.newTarget()) {
          open(h.request().target());
        }
        if (h.request().isConnect()) {
          write(toClient, HttpProxyResponses.connectionEstablished());
        } else {
          write(tunnel(), h.request().headForOrigin());
        }
      } else if (e instanceof HttpRequestFramer.BodyPart b) {
        write(tunnel(), b.bytes());
      } else if (e instanceof HttpRequestFramer.Failed f) {
        write(toClient, f.response());
        outcome = outcome + ", then fail: HTTP " + f.status() + " " + f.reason();
        closed = true;
      }
    }
  }

  private void open(TargetAddress target) {
    targets.add(target);
    tunnelBytes.add(new ByteArrayOutputStream());
  }

  private ByteArrayOutputStream tunnel() {
    return tunnelBytes.get(tunnelBytes.size() - 1);
  }

  private static void write(ByteArrayOutputStream out, ByteBuf bytes) {
    out.writeBytes(Bytes.of(bytes));
  }
}
