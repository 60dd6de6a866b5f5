package io.taskpool.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The revoke plan: unstarted tasks of a revoked partition never start; started ones are awaited.
 */
class PartitionClaimTest {
  @Test
  void afterWithdrawalNoTaskStartsButTheRunningOnesAreAwaited() throws Exception {
    PartitionClaim revoked = new PartitionClaim();
    assertThat(revoked.tryStart()).isTrue();

    revoked.withdraw();

    assertThat(revoked.tryStart()).as("a task queued behind the revocation").isFalse();
    assertThat(revoked.awaitStarted(PartitionClaim.deadline(Duration.ofMillis(50))))
        .as("the running task holds the revocation")
        .isFalse();
    CompletableFuture<Boolean> awaited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return revoked.awaitStarted(PartitionClaim.deadline(Duration.ofSeconds(10)));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    revoked.finished();
    assertThat(awaited.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(revoked.running()).isZero();
  }

  @Test
  void aPartitionKeptIsNotHeldByTheRevocationOfAnother() throws Exception {
    PartitionClaim kept = new PartitionClaim();
    PartitionClaim revoked = new PartitionClaim();
    revoked.withdraw();

    assertThat(revoked.awaitStarted(PartitionClaim.deadline(Duration.ZERO))).isTrue();
    assertThat(kept.tryStart()).isTrue();
    assertThat(kept.withdrawn()).isFalse();
  }
}
