package dev.llmobs.internal;

import java.security.SecureRandom;

/**
 * Span and trace ids in Datadog's shapes: a span id is a non-zero positive 64-bit value; a trace id is 128 bits
 * with the Unix seconds in the top 32, zeros in the next 32 and a random non-zero value in the low 64.
 *
 * <p>Design note: ids must stay unique when Lambda SnapStart restores many JVMs from one memory snapshot. AWS
 * names {@link SecureRandom} as safe there, but it costs a lock and a system call per id. So ids come from a
 * fast xorshift generator that is (1) seeded from {@code /dev/urandom}, (2) mixed with {@link System#nanoTime()}
 * on every draw, which differs between restored copies, and (3) reseeded by {@link #reseed()}, which the
 * Lambda wrapper calls from its CRaC {@code afterRestore} hook. With {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}
 * every id comes straight from {@code SecureRandom}, as dd-trace-java does.
 */
public final class Ids {
  private static final Object LOCK = new Object();
  private static volatile boolean secure; // set from each configuration: see useSecureRandom
  private static SecureRandom secureRandom;
  private static long state; // guarded by LOCK; 0 = not yet seeded

  private Ids() {}

  /** A new random span id: positive, non-zero. */
  public static long spanId() {
    long id;
    do {
      id = next() & Long.MAX_VALUE;
    } while (id == 0);
    return id;
  }

  /** The low 64 bits of a new trace id: non-zero. */
  public static long traceIdLow() {
    long id;
    do {
      id = next();
    } while (id == 0);
    return id;
  }

  /** The high 64 bits of a new trace id: Unix seconds in the top 32 bits. */
  public static long traceIdHigh(long epochNanos) {
    return (epochNanos / 1_000_000_000L) << 32;
  }

  /**
   * Draws every id from {@code SecureRandom} ({@code true}, under SnapStart) or from the seeded generator. Set when a
   * configuration is installed ({@link Config#snapStart}), so that no earlier configuration's mode survives.
   */
  public static void useSecureRandom(boolean on) {
    secure = on;
  }

  /** Forgets the generator state; the next id is seeded afresh from {@code SecureRandom}. */
  public static void reseed() {
    synchronized (LOCK) {
      state = 0;
    }
  }

  private static long next() {
    synchronized (LOCK) {
      if (secure) return secureRandom().nextLong();
      if (state == 0) {
        state = seed() | 1;
      }
      long x = state;
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      state = x;
      return mix(x ^ System.nanoTime());
    }
  }

  /**
   * 64 bits from {@code /dev/urandom} (fresh after a snapshot restore, and read in microseconds), else from
   * {@code SecureRandom}, whose first use costs tens of milliseconds of a cold start.
   */
  private static long seed() {
    try (java.io.FileInputStream in = new java.io.FileInputStream("/dev/urandom")) {
      byte[] b = new byte[8];
      int n = 0;
      while (n < 8) {
        int r = in.read(b, n, 8 - n);
        if (r < 0) throw new java.io.EOFException();
        n += r;
      }
      long v = 0;
      for (byte x : b) v = (v << 8) | (x & 0xff);
      return v;
    } catch (java.io.IOException | SecurityException e) {
      return secureRandom().nextLong();
    }
  }

  private static SecureRandom secureRandom() {
    if (secureRandom == null) secureRandom = new SecureRandom();
    return secureRandom;
  }

  /** SplitMix64's finalizer: spreads the nanoTime bits over the whole value. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** 32 lowercase hex characters. */
  public static String traceIdHex(long high, long low) {
    char[] c = new char[32];
    hex(high, c, 0);
    hex(low, c, 16);
    return new String(c);
  }

  /** 16 lowercase hex characters: a span id, or half a trace id, as W3C and OTLP write them. */
  public static String hex16(long v) {
    char[] c = new char[16];
    hex(v, c, 0);
    return new String(c);
  }

  private static void hex(long v, char[] c, int off) {
    for (int i = 15; i >= 0; i--) {
      c[off + i] = "0123456789abcdef".charAt((int) (v & 0xf));
      v >>>= 4;
    }
  }
}
