package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.worker.internal.FinishedOffsetCodec.Encoded;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FinishedOffsetCodecTest {
  private static final int BROKER_DEFAULT = 3_500;

  @Test
  void nothingFinishedIsAnEmptyString() {
    assertThat(FinishedOffsetCodec.encode(5, new long[0], BROKER_DEFAULT))
        .isEqualTo(new Encoded("", 0));
    assertThat(FinishedOffsetCodec.decode(5, "")).isEmpty();
  }

  @Test
  void finishedOffsetsWithGapsRoundTrip() {
    long[] finished = {101, 102, 103, 110, 111, 500};

    Encoded encoded = FinishedOffsetCodec.encode(100, finished, BROKER_DEFAULT);

    assertThat(encoded.leftOut()).isZero();
    assertThat(encoded.metadata()).startsWith("tp1");
    assertThat(FinishedOffsetCodec.decode(100, encoded.metadata())).containsExactly(finished);
  }

  @Test
  void theOffsetAtThePositionItselfMayBeFinished() {
    long[] finished = {100, 102};

    assertThat(
            FinishedOffsetCodec.decode(
                100, FinishedOffsetCodec.encode(100, finished, BROKER_DEFAULT).metadata()))
        .containsExactly(finished);
  }

  @Test
  void aVeryLargeGapCostsAFewBytes() {
    long[] finished = {5, 4_000_000_000L, 4_000_000_001L};

    Encoded encoded = FinishedOffsetCodec.encode(0, finished, BROKER_DEFAULT);

    assertThat(encoded.metadata()).startsWith("tp1R").hasSizeLessThan(20);
    assertThat(FinishedOffsetCodec.decode(0, encoded.metadata())).containsExactly(finished);
  }

  @Test
  void aDenseMixOfFinishedAndUnfinishedUsesTheBitset() {
    long[] everyOther = LongStream.range(0, 2_000).map(i -> 1 + 2 * i).toArray();

    Encoded encoded = FinishedOffsetCodec.encode(0, everyOther, BROKER_DEFAULT);

    assertThat(encoded.metadata()).startsWith("tp1B").hasSizeLessThan(700);
    assertThat(FinishedOffsetCodec.decode(0, encoded.metadata())).containsExactly(everyOther);
  }

  @Test
  void overTheSizeCapTheHighestFinishedOffsetsAreLeftOutSoTheyRunAgainRatherThanBeLost() {
    // Scattered offsets defeat both encodings: about 2 bytes each.
    long[] scattered = LongStream.range(0, 20_000).map(i -> i * 300 + 1).toArray();

    Encoded encoded = FinishedOffsetCodec.encode(0, scattered, BROKER_DEFAULT);

    assertThat(encoded.metadata().length()).isLessThanOrEqualTo(BROKER_DEFAULT);
    assertThat(encoded.leftOut()).isPositive();
    long[] kept = FinishedOffsetCodec.decode(0, encoded.metadata());
    assertThat(kept.length + encoded.leftOut()).isEqualTo(scattered.length);
    assertThat(kept).containsExactly(java.util.Arrays.copyOf(scattered, kept.length));
  }

  @Test
  void withNoRoomAtAllOnlyTheOffsetIsCommitted() {
    assertThat(FinishedOffsetCodec.encode(0, new long[] {3}, 0)).isEqualTo(new Encoded("", 1));
  }

  @Test
  void metadataThatIsNotOursReadsAsNothingFinished() {
    assertThat(FinishedOffsetCodec.decode(0, "written by another tool")).isEmpty();
    assertThat(FinishedOffsetCodec.decode(0, "tp1R!!!not-base64")).isEmpty();
    assertThat(FinishedOffsetCodec.decode(0, null)).isEmpty();
  }
}
