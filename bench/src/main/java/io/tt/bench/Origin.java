package io.tt.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bench's HTTP/1.1 origin: {@code GET /N} answers N bytes (keep-alive). One selector thread; bodies go out
 * with sendfile (FileChannel.transferTo) from a random file in /dev/shm, so serving costs almost no CPU and the
 * origin is never what limits a tunnel. Usage: {@code Origin HOST PORT}.
 */
public final class Origin {

  private static final int FILE_SIZE = 16 << 20;

  private static final class Conn {
    final SocketChannel ch;
    final StringBuilder req = new StringBuilder();
    ByteBuffer header;
    long bodyLeft;
    long filePos;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }
  }

  private final FileChannel file;
  private final ByteBuffer readBuf = ByteBuffer.allocateDirect(16384);
  private final byte[] readBytes = new byte[16384];

  private Origin(FileChannel file) {
    this.file = file;
  }

  public static void main(String[] args) throws IOException {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 18080;
    Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
    Path p = Files.createTempFile(dir, "tt-origin", ".bin");
    p.toFile().deleteOnExit();
    byte[] data = new byte[FILE_SIZE];
    ThreadLocalRandom.current().nextBytes(data);
    Files.write(p, data);
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r")) {
      Files.delete(p);
      new Origin(raf.getChannel()).serve(host, port);
    }
  }

  private void serve(String host, int port) throws IOException {
    Selector sel = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    server.bind(new InetSocketAddress(host, port), 4096);
    server.configureBlocking(false);
    server.register(sel, SelectionKey.OP_ACCEPT);
    System.out.println("origin listening on " + host + ":" + port);
    System.out.flush();
    while (true) {
      sel.select();
      Iterator<SelectionKey> it = sel.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey k = it.next();
        it.remove();
        try {
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            SocketChannel ch;
            while ((ch = server.accept()) != null) {
              ch.configureBlocking(false);
              ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
              ch.register(sel, SelectionKey.OP_READ, new Conn(ch));
            }
            continue;
          }
          Conn c = (Conn) k.attachment();
          if (k.isWritable() && c.header != null && write(c)) {
            c.header = null;
          }
          if (k.isValid() && k.isReadable()) {
            if (!read(k, c)) {
              continue;
            }
          }
          pump(c);
          k.interestOps(c.header != null ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        } catch (IOException e) {
          k.cancel();
          k.channel().close();
        }
      }
    }
  }

  /** Reads what arrived; false if the peer closed (the channel is closed then). */
  private boolean read(SelectionKey k, Conn c) throws IOException {
    readBuf.clear();
    int n = c.ch.read(readBuf);
    if (n < 0) {
      k.cancel();
      c.ch.close();
      return false;
    }
    readBuf.flip();
    readBuf.get(readBytes, 0, n);
    c.req.append(new String(readBytes, 0, n, StandardCharsets.ISO_8859_1));
    if (c.req.length() > 65536) {
      throw new IOException("request too long");
    }
    return true;
  }

  /** Answers buffered requests in order while the socket takes the bytes. */
  private void pump(Conn c) throws IOException {
    while (c.header == null) {
      int end = c.req.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      String line = c.req.substring(0, c.req.indexOf("\r\n"));
      c.req.delete(0, end + 4);
      long size = 0;
      String[] parts = line.split(" ");
      if (parts.length >= 2 && parts[1].startsWith("/")) {
        String digits = parts[1].substring(1);
        int q = digits.indexOf('?');
        if (q >= 0) {
          digits = digits.substring(0, q);
        }
        try {
          size = Long.parseLong(digits);
        } catch (NumberFormatException e) {
          size = 0;
        }
      }
      c.header = ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
          + size + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      c.bodyLeft = size;
      c.filePos = 0;
      if (write(c)) {
        c.header = null;
      }
    }
  }

  /** Writes what the socket takes of the current response; true when it is all written. */
  private boolean write(Conn c) throws IOException {
    if (c.header.hasRemaining()) {
      c.ch.write(c.header);
      if (c.header.hasRemaining()) {
        return false;
      }
    }
    while (c.bodyLeft > 0) {
      long chunk = Math.min(c.bodyLeft, FILE_SIZE - c.filePos);
      long n = file.transferTo(c.filePos, chunk, c.ch);
      if (n <= 0) {
        return false;
      }
      c.bodyLeft -= n;
      c.filePos = (c.filePos + n) % FILE_SIZE;
    }
    return true;
  }
}
