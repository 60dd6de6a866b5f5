package io.taskpool.worker.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which partitions the poll loop fetches: none that still has fetched records waiting here ({@link
 * FetchBuffer#holding}), and none assigned while the worker was saturated until it has room again.
 * So a busy worker that takes partitions over does not pull in their backlogs, which would only
 * wait here; they stay in Kafka until the worker can start them. Single-threaded (the poll thread).
 */
public final class FetchGate<P> {
  private final Set<P> heldBack = new HashSet<>();

  /** Partitions just assigned: held back (to be paused) when the worker is saturated now. */
  public void assigned(Collection<P> partitions, boolean saturated) {
    if (saturated) {
      heldBack.addAll(partitions);
    }
  }

  /** Partitions revoked or lost: nothing to hold back any more. */
  public void removed(Collection<P> partitions) {
    heldBack.removeAll(partitions);
  }

  /**
   * True while some partition waits for the worker to have room (the loop should look again soon).
   */
  public boolean holdingBack() {
    return !heldBack.isEmpty();
  }

  /**
   * What to pause and resume now; once the worker is not saturated, every held-back partition is
   * let go.
   *
   * @param assignment the consumer's partitions
   * @param paused those of them paused now
   * @param holding partitions with fetched records not handed out yet
   */
  public Plan<P> plan(Set<P> assignment, Set<P> paused, Set<P> holding, boolean saturated) {
    if (!saturated) {
      heldBack.clear();
    }
    Set<P> shut = new HashSet<>(holding);
    shut.addAll(heldBack);
    shut.retainAll(assignment);
    Set<P> pause = new HashSet<>(shut);
    pause.removeAll(paused);
    Set<P> resume = new HashSet<>(paused);
    resume.removeAll(shut);
    return new Plan<>(pause, resume);
  }

  /** Partitions to pause and to resume. */
  public record Plan<P>(Set<P> pause, Set<P> resume) {}
}
