package io.taskpool.worker.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;

/**
 * Encodes the offsets of a partition that finished above its committed position into the commit's
 * metadata string, so the partition's next owner skips them instead of running them again (the idea
 * of Confluent Parallel Consumer's offset map, in a format of our own).
 *
 * <p>Format: {@code "tp1" + kind + base64url(body)}, relative to the committed position {@code p}:
 * kind {@code R} is a run-length body (unsigned varints: unfinished run from {@code p}, finished
 * run, unfinished run, ...), good for long runs and very large gaps; kind {@code B} is a bitset
 * body (bit {@code i}: {@code p + i} finished), good for finished and unfinished offsets mixed
 * densely. The encoder takes the shorter of the two.
 *
 * <p>Size cap: the broker refuses metadata over {@code offset.metadata.max.bytes} (4096 by
 * default). When the full map does not fit in {@code maxChars}, the highest finished offsets are
 * left out until it does: they run again on the next owner (at-least-once, never lost). Pure and
 * stateless.
 */
public final class FinishedOffsetCodec {
  private static final String MAGIC = "tp1";
  private static final char RUNS = 'R';
  private static final char BITS = 'B';
  private static final int PREFIX = MAGIC.length() + 1;
  private static final long[] NONE = new long[0];

  private FinishedOffsetCodec() {}

  /** What {@link #encode} wrote, and how many finished offsets it had to leave out to fit. */
  public record Encoded(String metadata, int leftOut) {}

  /**
   * @param position the committed position (next offset to read)
   * @param finished finished offsets {@code >= position}, ascending, no duplicates
   * @param maxChars the longest metadata allowed; 0 for none
   */
  public static Encoded encode(long position, long[] finished, int maxChars) {
    if (finished.length == 0) {
      return new Encoded("", 0);
    }
    if (finished[0] < position) {
      throw new IllegalArgumentException(
          "finished offset " + finished[0] + " is below the position " + position);
    }
    String whole = encodeFirst(position, finished, finished.length);
    if (whole.length() <= maxChars) {
      return new Encoded(whole, 0);
    }
    // The length grows with the offsets kept: find the most that fit by bisection.
    int fits = 0;
    int tooMany = finished.length;
    String best = "";
    while (tooMany - fits > 1) {
      int mid = (fits + tooMany) >>> 1;
      String candidate = encodeFirst(position, finished, mid);
      if (candidate.length() <= maxChars) {
        fits = mid;
        best = candidate;
      } else {
        tooMany = mid;
      }
    }
    return new Encoded(best, finished.length - fits);
  }

  private static String encodeFirst(long position, long[] finished, int count) {
    return shorter(runs(position, finished, count), bits(position, finished, count));
  }

  /** The finished offsets in {@code metadata} (absolute, ascending); none if it is not ours. */
  public static long[] decode(long position, String metadata) {
    if (metadata == null || metadata.length() < PREFIX || !metadata.startsWith(MAGIC)) {
      return NONE;
    }
    byte[] body;
    try {
      body = Base64.getUrlDecoder().decode(metadata.substring(PREFIX));
    } catch (IllegalArgumentException notOurs) {
      return NONE;
    }
    return switch (metadata.charAt(MAGIC.length())) {
      case RUNS -> decodeRuns(position, body);
      case BITS -> decodeBits(position, body);
      default -> NONE;
    };
  }

  private static String runs(long position, long[] finished, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long next = position;
    int i = 0;
    while (i < count) {
      long runStart = finished[i];
      int j = i;
      while (j + 1 < count && finished[j + 1] == finished[j] + 1) {
        j++;
      }
      writeVarint(out, runStart - next);
      writeVarint(out, j - i + 1L);
      next = finished[j] + 1;
      i = j + 1;
    }
    return MAGIC + RUNS + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
  }

  private static String bits(long position, long[] finished, int count) {
    long span = finished[count - 1] - position + 1;
    if (span > Integer.MAX_VALUE - 8L) {
      return null;
    }
    BitSet bits = new BitSet((int) span);
    for (int i = 0; i < count; i++) {
      bits.set((int) (finished[i] - position));
    }
    return MAGIC
        + BITS
        + Base64.getUrlEncoder().withoutPadding().encodeToString(bits.toByteArray());
  }

  private static String shorter(String a, String b) {
    return b == null || a.length() <= b.length() ? a : b;
  }

  private static long[] decodeRuns(long position, byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    long[] out = new long[16];
    int size = 0;
    long next = position;
    while (in.hasRemaining()) {
      long gap = readVarint(in);
      long length = readVarint(in);
      if (gap < 0 || length <= 0) {
        return NONE;
      }
      long start = next + gap;
      for (long k = 0; k < length; k++) {
        if (size == out.length) {
          out = Arrays.copyOf(out, size * 2);
        }
        out[size++] = start + k;
      }
      next = start + length;
    }
    return Arrays.copyOf(out, size);
  }

  private static long[] decodeBits(long position, byte[] body) {
    BitSet bits = BitSet.valueOf(body);
    return bits.stream().mapToLong(i -> position + i).toArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static long readVarint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!in.hasRemaining()) {
        return -1;
      }
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    return -1;
  }
}
