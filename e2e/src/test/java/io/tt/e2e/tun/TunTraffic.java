package io.tt.e2e.tun;

import io.tt.common.tun.Netns;

import io.vertx.core.json.JsonObject;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Traffic the tests push through the tunnel with Java sockets made inside the namespaces, and iperf3. */
final class TunTraffic {

  private TunTraffic() {
  }

  /** A UDP echo service bound in a namespace; closing it ends its thread. */
  static final class UdpEcho implements AutoCloseable {
    final DatagramSocket socket;

    private UdpEcho(DatagramSocket socket) {
      this.socket = socket;
      Thread t = new Thread(this::serve, "udp-echo");
      t.setDaemon(true);
      t.start();
    }

    static UdpEcho start(Netns ns, String address, int port) throws Exception {
      DatagramSocket s = ns.async(() -> new DatagramSocket(new InetSocketAddress(address, port)))
          .get(10, TimeUnit.SECONDS);
      return new UdpEcho(s);
    }

    private void serve() {
      byte[] buf = new byte[65536];
      while (!socket.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          socket.receive(p);
          socket.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), p.getSocketAddress()));
        } catch (Exception e) {
          return;
        }
      }
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /**
   * Sends one datagram per size (seeded content) and checks each echo is byte-identical; a datagram may be
   * resent twice (UDP may lose one), never more. Returns how many needed a resend.
   */
  static int udpEchoRoundTrips(Netns from, String address, int port, int[] sizes) throws Exception {
    return from.async(() -> {
      int resends = 0;
      try (DatagramSocket s = new DatagramSocket()) {
        s.setSoTimeout(1000);
        SplittableRandom rnd = new SplittableRandom(port);
        byte[] in = new byte[65536];
        for (int size : sizes) {
          byte[] out = new byte[size];
          for (int i = 0; i < size; i++) {
            out[i] = (byte) rnd.nextInt(256);
          }
          boolean echoed = false;
          for (int attempt = 0; attempt < 3 && !echoed; attempt++) {
            if (attempt > 0) {
              resends++;
            }
            s.send(new DatagramPacket(out, size, new InetSocketAddress(address, port)));
            long end = System.nanoTime() + 1_000_000_000L;
            while (!echoed && System.nanoTime() < end) {
              DatagramPacket p = new DatagramPacket(in, in.length);
              try {
                s.receive(p);
              } catch (SocketTimeoutException e) {
                break;
              }
              echoed = p.getLength() == size && Arrays.equals(in, 0, size, out, 0, size);
            }
          }
          if (!echoed) {
            throw new AssertionError("no echo of a " + size + "-byte datagram from " + address + ":" + port);
          }
        }
      }
      return resends;
    }).get(120, TimeUnit.SECONDS);
  }

  /** What a TCP transfer moved and the SHA-256 seen at each end. */
  record Transfer(long bytes, String sentSha256, String receivedSha256, long millis) {
    double mbitPerSecond() {
      return bytes * 8.0 / 1e6 / Math.max(1, millis) * 1000;
    }
  }

  /**
   * Sends {@code bytes} pseudo-random bytes over one TCP connection from a namespace to a listener bound in
   * another at {@code address}, hashing both ends.
   */
  static Transfer tcpTransfer(Netns sender, Netns receiver, String address, int port, long bytes) throws Exception {
    ServerSocket listener = receiver.async(() -> {
      ServerSocket ss = new ServerSocket();
      ss.bind(new InetSocketAddress(address, port));
      return ss;
    }).get(10, TimeUnit.SECONDS);
    try (listener) {
      CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
        try (Socket so = listener.accept(); InputStream in = so.getInputStream()) {
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
          }
          return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
          throw new IllegalStateException("receiving: " + e, e);
        }
      });
      long start = System.nanoTime();
      String sent = sender.async(() -> {
        try (Socket so = new Socket()) {
          so.connect(new InetSocketAddress(address, port), 10_000);
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          SplittableRandom rnd = new SplittableRandom(bytes);
          byte[] buf = new byte[1 << 16];
          OutputStream out = so.getOutputStream();
          for (long left = bytes; left > 0; ) {
            int n = (int) Math.min(buf.length, left);
            for (int i = 0; i < n; i += 8) {
              long v = rnd.nextLong();
              for (int j = 0; j < 8 && i + j < n; j++) {
                buf[i + j] = (byte) (v >>> (8 * j));
              }
            }
            md.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
          }
          so.shutdownOutput();
          so.getInputStream().read(); // waits for the receiver's close: every byte is across
          return HexFormat.of().formatHex(md.digest());
        }
      }).get(180, TimeUnit.SECONDS);
      String got = received.get(30, TimeUnit.SECONDS);
      return new Transfer(bytes, sent, got, (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** iperf3's JSON summary of one run (server started for one test in {@code server}, client in {@code client}). */
  static JsonObject iperf3(Netns server, Netns client, String address, int port, int seconds, String... extra)
      throws Exception {
    Process srv = new ProcessBuilder(server.prefixed("timeout", String.valueOf(seconds + 30), "iperf3", "-s", "-1",
        "-B", address, "-p", String.valueOf(port))).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Thread.sleep(500);
      java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("iperf3", "-c", address, "-p",
          String.valueOf(port), "-t", String.valueOf(seconds), "-J"));
      cmd.addAll(java.util.List.of(extra));
      Netns.Result r = client.exec(seconds + 20, cmd.toArray(new String[0]));
      JsonObject j = new JsonObject(r.output().substring(Math.max(0, r.output().indexOf('{'))));
      if (j.containsKey("error")) {
        throw new AssertionError("iperf3 failed: " + j.getString("error"));
      }
      return j;
    } finally {
      srv.descendants().forEach(ProcessHandle::destroyForcibly);
      srv.destroyForcibly();
    }
  }

  static InetAddress address(String s) throws Exception {
    return InetAddress.getByName(s);
  }
}
