package io.tt.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One AEAD seal / open of {@code size} bytes from a pooled direct buffer (what a socket read gives) into a direct
 * buffer or a heap array ({@code output}), per implementation.
 * Throughput in MB/s = size / (us/op). Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per
 * operation (0 on the hot path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AeadBench {

  @Param({"aes-256-gcm", "chacha20-poly1305"})
  public String method;

  @Param({"jdk", "sodium", "gcrypt"})
  public String impl;

  @Param({"16384", "65535"})
  public int size;

  /** Where seal and open write: a pooled direct buffer, or a heap array (what TT sends from on JDK 22+, SocketSend). */
  @Param({"direct", "heap"})
  public String output;

  private Aead aead;
  private ByteBuf plain;
  private ByteBuf sealed;
  private ByteBuf sealed2;
  private boolean flip;
  private ByteBuf out;
  private long counter;

  @Setup(Level.Trial)
  public void setUp() {
    AeadMethod m = AeadMethod.fromName(method);
    byte[] key = new byte[32];
    ThreadLocalRandom.current().nextBytes(key);
    aead = Aeads.create(impl, m, key, new byte[] {0x20, (byte) 0xfb});
    plain = PooledByteBufAllocator.DEFAULT.directBuffer(size + 512);
    byte[] p = new byte[size];
    ThreadLocalRandom.current().nextBytes(p);
    plain.writeBytes(p);
    sealed = PooledByteBufAllocator.DEFAULT.directBuffer(size + 512);
    out = "heap".equals(output) ? io.netty.buffer.Unpooled.wrappedBuffer(new byte[size + 512])
        : PooledByteBufAllocator.DEFAULT.directBuffer(size + 512);
    aead.seal(7, plain, 0, size, sealed);
    sealed2 = PooledByteBufAllocator.DEFAULT.directBuffer(size + 512);
    aead.seal(8, plain, 0, size, sealed2);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plain.release();
    sealed.release();
    sealed2.release();
    out.release();
  }

  @Benchmark
  public ByteBuf seal() {
    out.clear();
    aead.seal(counter++, plain, 0, size, out);
    return out;
  }

  @Benchmark
  public boolean open() {
    out.clear();
    // Two nonces in turn: the JDK refuses to re-init with the key and nonce of the previous init.
    flip = !flip;
    ByteBuf in = flip ? sealed : sealed2;
    if (!aead.open(flip ? 7 : 8, in, 0, in.readableBytes(), out)) {
      throw new IllegalStateException("open failed");
    }
    return true;
  }
}
