package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.worker.internal.ShareLedger.Ready;
import io.taskpool.worker.spi.Acknowledgement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShareLedgerTest {
  private final ShareLedger<String> ledger = new ShareLedger<>();

  @Test
  void aFinishedRecordOfTheBatchIsReadyAtOnce() {
    assertThat(ledger.polled(0, 5, "r5", 0)).isTrue();
    assertThat(ledger.batchSettled()).isFalse();
    ledger.finished(0, 5, Acknowledgement.PROCESSED);
    assertThat(ledger.takeReady())
        .containsExactly(new Ready<>(List.of("r5"), Acknowledgement.PROCESSED));
    assertThat(ledger.batchSettled()).isTrue();
    assertThat(ledger.size()).isZero();
  }

  @Test
  void aRunningRecordIsRenewedBeforeThePollAndRecognisedWhenItComesBack() {
    ledger.polled(1, 7, "r7", 0);
    assertThat(ledger.takeForRenewal(0)).containsExactly("r7");
    assertThat(ledger.batchSettled()).isTrue();

    // It finishes while away: the outcome waits for the record to return
    ledger.finished(1, 7, Acknowledgement.DEAD_LETTERED);
    assertThat(ledger.takeReady()).isEmpty();

    assertThat(ledger.polled(1, 7, "r7-again", 10)).as("a returning record is not new").isFalse();
    assertThat(ledger.takeReady())
        .containsExactly(new Ready<>(List.of("r7-again"), Acknowledgement.DEAD_LETTERED));
  }

  @Test
  void tellsWhenALockIsHalfWayToExpiry() {
    ledger.polled(0, 1, "r1", 1_000);
    assertThat(ledger.lockOlderThan(500, 1_400)).isFalse();
    assertThat(ledger.lockOlderThan(500, 1_500)).isTrue();
    ledger.takeForRenewal(0);
    ledger.polled(0, 1, "r1", 1_600);
    assertThat(ledger.lockOlderThan(500, 1_700)).isFalse();
  }

  @Test
  void everyCopyOfAnOffsetThatOnePollReturnedTwiceIsAcknowledgedAndRenewed() {
    assertThat(ledger.polled(0, 9, "a", 0)).isTrue();
    assertThat(ledger.polled(0, 9, "b", 0)).isFalse();
    assertThat(ledger.takeForRenewal(0)).containsExactly("a", "b");
    ledger.polled(0, 9, "c", 5);
    ledger.finished(0, 9, Acknowledgement.PROCESSED);
    assertThat(ledger.takeReady())
        .containsExactly(new Ready<>(List.of("c"), Acknowledgement.PROCESSED));
  }

  @Test
  void aRenewedRecordThatNeverComesBackIsForgottenAfterTheGivenTime() {
    ledger.polled(0, 1, "r1", 0);
    ledger.takeForRenewal(100);
    assertThat(ledger.forgetUnreturned(1_000, 1_000)).isZero();
    assertThat(ledger.forgetUnreturned(1_000, 1_101)).isEqualTo(1);
    assertThat(ledger.size()).isZero();
  }

  @Test
  void anOutcomeForARecordNotHeldIsIgnored() {
    ledger.finished(3, 3, Acknowledgement.PROCESSED);
    assertThat(ledger.takeReady()).isEmpty();
    assertThat(ledger.size()).isZero();
  }
}
