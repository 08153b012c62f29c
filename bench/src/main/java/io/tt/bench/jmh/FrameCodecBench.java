package io.tt.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Padding;
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
 * The frame codec as the relay drives it: one socket read of {@code read} bytes sealed into frames of
 * {@code frameSize} payload bytes (encode), and the same bytes opened again, arriving in reads of {@code read}
 * bytes that cut frames (round trip, with the decoder's pending buffer). Default implementation per method
 * ({@link Aeads#create}), default padding (auto: bulk frames unpadded). {@code -prof gc} shows the allocation
 * per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FrameCodecBench {

  @Param({"aes-256-gcm", "chacha20-poly1305"})
  public String method;

  @Param({"16384", "65535"})
  public int frameSize;

  /** Bytes per socket read (the relay's unit of work). */
  @Param({"65536"})
  public int read;

  private FrameEncoder encoder;
  private FrameDecoder decoder;
  private Aead sealAead;
  private Aead openAead;
  private ByteBuf input;
  private ByteBuf encoded;
  private ByteBuf decoded;
  private byte[] key;

  @Setup(Level.Trial)
  public void setUp() {
    AeadMethod m = AeadMethod.fromName(method);
    key = new byte[32];
    ThreadLocalRandom.current().nextBytes(key);
    byte[] aad = {0x20, (byte) 0xfb};
    sealAead = Aeads.create(m, key, aad);
    openAead = Aeads.create(m, key, aad);
    encoder = new FrameEncoder(sealAead, Padding.AUTO, frameSize);
    decoder = new FrameDecoder(openAead, PooledByteBufAllocator.DEFAULT);
    input = PooledByteBufAllocator.DEFAULT.directBuffer(read);
    byte[] p = new byte[read];
    ThreadLocalRandom.current().nextBytes(p);
    input.writeBytes(p);
    encoded = PooledByteBufAllocator.DEFAULT.directBuffer(encoder.maxEncodedLength(read));
    decoded = PooledByteBufAllocator.DEFAULT.directBuffer(read * 2 + 65536);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    decoder.release();
    input.release();
    encoded.release();
    decoded.release();
  }

  /** Seals one read's worth of plain bytes into frames. */
  @Benchmark
  public ByteBuf encode() {
    input.readerIndex(0);
    encoded.clear();
    encoder.encode(input, encoded);
    return encoded;
  }

  /**
   * Seals one read into frames and opens them again, the sealed bytes arriving in two reads cut inside a frame
   * (so the decoder's pending buffer is exercised). Decode cost = roundTrip - encode.
   */
  @Benchmark
  public ByteBuf roundTrip() {
    input.readerIndex(0);
    encoded.clear();
    encoder.encode(input, encoded);
    decoded.clear();
    // The first read ends a third of the way in (no slice object: the writer index is moved and restored).
    int end = encoded.writerIndex();
    encoded.writerIndex(encoded.readerIndex() + encoded.readableBytes() / 3);
    while (encoded.isReadable()) {
      if (decoder.decodeOne(encoded, decoded) == FrameDecoder.Result.BAD) {
        throw new IllegalStateException("bad frame");
      }
    }
    encoded.writerIndex(end);
    while (encoded.isReadable()) {
      if (decoder.decodeOne(encoded, decoded) == FrameDecoder.Result.BAD) {
        throw new IllegalStateException("bad frame");
      }
    }
    if (decoded.readableBytes() != read) {
      throw new IllegalStateException("decoded " + decoded.readableBytes());
    }
    return decoded;
  }
}
