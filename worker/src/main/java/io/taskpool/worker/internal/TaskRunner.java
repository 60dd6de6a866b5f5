package io.taskpool.worker.internal;

import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.TaskTimeoutException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.wire.WireHeaders;
import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.HandlerRegistry.RegisteredHandler;
import io.taskpool.worker.RetryPolicy;
import io.taskpool.worker.middleware.AbandonedTaskException;
import io.taskpool.worker.middleware.DeadLetterMiddleware.DeadLetteredException;
import io.taskpool.worker.middleware.TaskContext;
import io.taskpool.worker.middleware.TaskFailure;
import io.taskpool.worker.middleware.TaskMiddleware;
import io.taskpool.worker.spi.Acknowledgement;
import io.taskpool.worker.spi.Delivery;
import io.taskpool.worker.spi.TaskSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each delivered task: decode, middleware chain, handler, reply, acknowledge. The
 * acknowledgement comes only after the reply (or dead letter) is written, which is what makes a
 * SIGKILL lose nothing. Every task that starts ends in exactly one outcome: processed,
 * dead-lettered, re-queued after its hard time limit, or (when even that cannot be written)
 * released while the worker stops for good, so no record is left neither acknowledged nor retried.
 */
public final class TaskRunner implements TaskSink {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  private final HandlerRegistry handlers;
  private final List<TaskMiddleware> middleware;
  private final ReplySender replies;
  private final KeyedLanes lanes;
  private final JsonCodec json;
  private final RetryPolicy retry;
  private final int maxInFlight;
  private final PrefetchBound prefetch;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final Object idle = new Object();
  private final LongConsumer onCompleted;
  private final Consumer<String> onFatal;
  private final long taskBudget;
  private final Predicate<String> hasHardLimit;
  private final AtomicLong started = new AtomicLong();
  // Whoever settles a running task first (its thread, or the hard time limit) acknowledges it.
  private final Map<TaskContext, AtomicBoolean> settlements = new ConcurrentHashMap<>();
  private volatile boolean releasingUnstarted;

  /**
   * @param limits the in-flight cap, the unstarted-work bound and the task budget
   * @param onCompleted told the running count each time a task finishes
   * @param onFatal told why, when the worker must stop and be replaced (a stuck or broken handler)
   */
  public TaskRunner(
      HandlerRegistry handlers,
      List<TaskMiddleware> middleware,
      ReplySender replies,
      KeyedLanes lanes,
      JsonCodec json,
      RetryPolicy retry,
      Limits limits,
      LongConsumer onCompleted,
      Consumer<String> onFatal) {
    this.handlers = handlers;
    this.middleware = List.copyOf(middleware);
    this.replies = replies;
    this.lanes = lanes;
    this.json = json;
    this.retry = retry;
    this.maxInFlight = limits.maxInFlight();
    this.prefetch = limits.prefetch();
    this.taskBudget = limits.taskBudget();
    this.hasHardLimit = limits.hasHardLimit();
    this.onCompleted = onCompleted;
    this.onFatal = onFatal;
  }

  /**
   * @param maxInFlight tasks accepted and not finished, at most
   * @param prefetch how much of that may be waiting to start
   * @param taskBudget tasks this runner starts at most (0: no limit); deliveries past it are
   *     released unrun, for the next worker
   * @param hasHardLimit whether a task name runs under a hard time limit
   */
  public record Limits(
      int maxInFlight, PrefetchBound prefetch, long taskBudget, Predicate<String> hasHardLimit) {}

  @Override
  public void accept(Delivery delivery) {
    if (taskBudget > 0 && started.incrementAndGet() > taskBudget) {
      // Past the budget: handed back unrun, and not counted, so the budget is what will run here.
      started.decrementAndGet();
      delivery.acknowledge(Acknowledgement.RELEASED);
      return;
    }
    inFlight.incrementAndGet();
    if (!lanes.execute(delivery.key(), () -> run(delivery))) {
      // Its lane is full (a source that took more than room() allows) or shut down: handed back
      // unrun, so memory stays bounded and the task runs later or elsewhere.
      log.warn(
          "task at {}-{}@{} handed back unrun: its handler lane is full or stopped ({} in flight)",
          delivery.topic(),
          delivery.partition(),
          delivery.offset(),
          inFlight.get());
      if (taskBudget > 0) {
        started.decrementAndGet();
      }
      delivery.acknowledge(Acknowledgement.RELEASED);
      release();
    }
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public int room() {
    if (taskBudget > 0 && started.get() >= taskBudget) {
      return 0;
    }
    int accepted = inFlight.get();
    int unstarted = accepted - running.get();
    return Math.max(0, Math.min(maxInFlight - accepted, prefetch.unstartedLimit() - unstarted));
  }

  /** Tasks finished (processed or dead-lettered) since start. */
  public long completed() {
    return completed.get();
  }

  @Override
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long waitMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (waitMillis <= 0) {
          return false;
        }
        try {
          idle.wait(Math.min(waitMillis, 100));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * From now on, tasks not yet started are handed back (RELEASED) instead of run: for a source that
   * can give back single records (a share group), so a drain waits only for running tasks; and for
   * any source once the worker failed. A partitioned source commits nothing for a released task.
   */
  public void releaseUnstarted() {
    releasingUnstarted = true;
  }

  private void run(Delivery delivery) {
    if (releasingUnstarted) {
      delivery.acknowledge(Acknowledgement.RELEASED);
      release();
      return;
    }
    if (!delivery.tryStart()) {
      // Revoked before it started (it runs on the partition's next owner): its share of the budget
      // goes back, or a recycling worker would wait forever for a count it can no longer reach.
      if (taskBudget > 0) {
        started.decrementAndGet();
      }
      release();
      return;
    }
    running.incrementAndGet();
    long start = System.nanoTime();
    String taskName = delivery.headers().lastValue(WireHeaders.TASK);
    String taskId = delivery.headers().lastValue(WireHeaders.ID);
    String replyTo = delivery.headers().lastValue(WireHeaders.REPLY_TO);
    boolean batch = "true".equals(delivery.headers().lastValue(WireHeaders.BATCH));
    TaskContext task = new TaskContext(taskName, taskId, delivery);
    AtomicBoolean settled = new AtomicBoolean();
    // Only a task with a hard limit can be settled by another thread; the rest skip the registry.
    boolean guarded = hasHardLimit.test(taskName);
    if (guarded) {
      settlements.put(task, settled);
    }
    try {
      byte[] result = (byte[]) chain(task, 0, () -> invoke(taskName, delivery.value(), batch));
      prefetch.taskFinished(System.nanoTime() - start);
      if (settled.compareAndSet(false, true)) {
        if (replyTo != null && taskId != null) {
          replies.sendResult(
              replyTo, taskId, result, () -> finish(delivery, Acknowledgement.PROCESSED, true));
        } else {
          finish(delivery, Acknowledgement.PROCESSED, true);
        }
      }
    } catch (DeadLetteredException dead) {
      prefetch.taskFinished(System.nanoTime() - start);
      if (settled.compareAndSet(false, true)) {
        replyError(delivery, replyTo, taskId, dead.getCause());
      }
    } catch (AbandonedTaskException late) {
      log.debug("{}", late.getMessage());
    } catch (Throwable unexpected) {
      if (settled.compareAndSet(false, true)) {
        // Could not even dead-letter it: hand it back so it runs again elsewhere, and stop taking
        // work here; a worker whose dead-letter path is broken must be replaced, not trusted.
        releasingUnstarted = true;
        log.error(
            "task {} ({}) at {}-{}@{} was neither completed nor dead-lettered; this worker stops"
                + " and the task is redelivered",
            taskId,
            taskName,
            delivery.topic(),
            delivery.partition(),
            delivery.offset(),
            unexpected);
        delivery.acknowledge(Acknowledgement.RELEASED);
        release();
        onFatal.accept(
            "task "
                + taskId
                + " ("
                + taskName
                + ") could not be completed or dead-lettered: "
                + unexpected);
      }
    } finally {
      if (guarded) {
        settlements.remove(task);
      }
      running.decrementAndGet();
    }
  }

  /**
   * The hard time limit of {@code task} passed while its handler still runs: settle the task
   * without that thread (re-queue it with the attempt counted, or dead-letter it after the last
   * attempt), then have this worker replaced, since its thread may never come back.
   */
  public void hardLimitExceeded(TaskContext task, Duration limit) {
    AtomicBoolean settled = settlements.get(task);
    if (settled == null || !settled.compareAndSet(false, true)) {
      return;
    }
    // This worker is done: nothing more starts here (the re-queued copy must run on a fresh one).
    releasingUnstarted = true;
    Delivery delivery = task.delivery();
    String reason =
        "task "
            + task.taskId()
            + " ("
            + task.taskName()
            + ") ran past its hard time limit of "
            + limit.toMillis()
            + " ms on attempt "
            + task.attempt()
            + " of "
            + retry.maxAttempts();
    log.error("{}; the worker is replaced", reason);
    try {
      if (task.attempt() < retry.maxAttempts()) {
        replies.requeue(delivery, task.attempt());
        finish(delivery, Acknowledgement.PROCESSED, false);
      } else {
        TaskTimeoutException timeout = new TaskTimeoutException(reason);
        replies.write(task, timeout);
        replyError(
            delivery, delivery.headers().lastValue(WireHeaders.REPLY_TO), task.taskId(), timeout);
      }
    } catch (RuntimeException e) {
      log.error(
          "could not re-queue or dead-letter task {} after its hard time limit; it is redelivered:"
              + " {}",
          task.taskId(),
          e.toString());
      delivery.acknowledge(Acknowledgement.RELEASED);
      release();
    }
    onFatal.accept(reason);
  }

  private void replyError(Delivery delivery, String replyTo, String taskId, Throwable error) {
    if (replyTo != null && taskId != null) {
      replies.sendError(
          replyTo, taskId, error, () -> finish(delivery, Acknowledgement.DEAD_LETTERED, true));
    } else {
      finish(delivery, Acknowledgement.DEAD_LETTERED, true);
    }
  }

  /**
   * The handler's own call, which may throw anything; the chain sees its failure as a {@link
   * TaskFailure}.
   */
  @FunctionalInterface
  private interface Attempt {
    Object run() throws Exception;
  }

  private Object chain(TaskContext task, int index, Attempt handler) {
    if (index == middleware.size()) {
      try {
        return handler.run();
      } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
        throw TaskFailure.of(e);
      }
    }
    return middleware.get(index).around(task, () -> chain(task, index + 1, handler));
  }

  private byte[] invoke(String taskName, byte[] value, boolean batch) throws Exception {
    if (taskName == null) {
      throw new NonRetriableTaskException("record has no " + WireHeaders.TASK + " header");
    }
    RegisteredHandler handler = handlers.find(taskName);
    if (handler == null) {
      throw new NonRetriableTaskException(
          "unknown task '" + taskName + "'; this worker runs " + new TreeSet<>(handlers.names()));
    }
    if (value == null) {
      throw new NonRetriableTaskException(
          "task '" + taskName + "' has no payload (null record value)");
    }
    if (!batch) {
      return json.encode(handler.invoke(json.decode(value, handler.inputType())));
    }
    List<Object> inputs = json.decodeList(value, handler.inputType());
    List<Object> results = new ArrayList<>(inputs.size());
    for (Object input : inputs) {
      results.add(handler.invoke(input));
    }
    return json.encode(results);
  }

  private void finish(Delivery delivery, Acknowledgement outcome, boolean countAsDone) {
    delivery.acknowledge(outcome);
    release();
    if (countAsDone) {
      onCompleted.accept(completed.incrementAndGet());
    }
  }

  private void release() {
    if (inFlight.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }
}
