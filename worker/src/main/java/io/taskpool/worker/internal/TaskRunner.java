package io.taskpool.worker.internal;

import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.wire.WireHeaders;
import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.HandlerRegistry.RegisteredHandler;
import io.taskpool.worker.middleware.DeadLetterMiddleware.DeadLetteredException;
import io.taskpool.worker.middleware.TaskContext;
import io.taskpool.worker.middleware.TaskMiddleware;
import io.taskpool.worker.spi.Acknowledgement;
import io.taskpool.worker.spi.Delivery;
import io.taskpool.worker.spi.TaskSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each delivered task: decode, middleware chain, handler, reply, acknowledge. The
 * acknowledgement comes only after the reply (or dead letter) is written, which is what makes a
 * SIGKILL lose nothing.
 */
public final class TaskRunner implements TaskSink {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  private final HandlerRegistry handlers;
  private final List<TaskMiddleware> middleware;
  private final ReplySender replies;
  private final KeyedLanes lanes;
  private final JsonCodec json;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final Object idle = new Object();
  private final LongConsumer onCompleted;
  private final long taskBudget;
  private final AtomicLong started = new AtomicLong();
  private volatile boolean releasingUnstarted;

  /**
   * @param taskBudget tasks this runner starts at most (0: no limit); deliveries past it are
   *     released unrun, for the next worker
   * @param onCompleted told the running count each time a task finishes
   */
  public TaskRunner(HandlerRegistry handlers, List<TaskMiddleware> middleware, ReplySender replies, KeyedLanes lanes, JsonCodec json, int maxInFlight, long taskBudget, LongConsumer onCompleted) {
    this.handlers = handlers;
    this.middleware = List.copyOf(middleware);
    this.replies = replies;
    this.lanes = lanes;
    this.json = json;
    this.maxInFlight = maxInFlight;
    this.onCompleted = onCompleted;
    this.taskBudget = taskBudget;
  }

  @Override
  public void accept(Delivery delivery) {
    if (taskBudget > 0 && started.incrementAndGet() > taskBudget) {
      delivery.acknowledge(Acknowledgement.RELEASED);
      return;
    }
    inFlight.incrementAndGet();
    lanes.execute(delivery.key(), () -> run(delivery));
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public boolean saturated() {
    return inFlight.get() >= maxInFlight || (taskBudget > 0 && started.get() >= taskBudget);
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
   * can give back single records (a share group), so a drain waits only for running tasks.
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
    String taskName = WireHeaders.read(delivery.headers(), WireHeaders.TASK);
    String taskId = WireHeaders.read(delivery.headers(), WireHeaders.ID);
    String replyTo = WireHeaders.read(delivery.headers(), WireHeaders.REPLY_TO);
    boolean batch = "true".equals(WireHeaders.read(delivery.headers(), WireHeaders.BATCH));
    TaskContext task = new TaskContext(taskName, taskId, delivery);
    try {
      byte[] result = (byte[]) chain(task, 0, () -> invoke(taskName, delivery.value(), batch));
      if (replyTo != null && taskId != null) {
        replies.sendResult(replyTo, taskId, result, () -> finish(delivery, Acknowledgement.PROCESSED));
      } else {
        finish(delivery, Acknowledgement.PROCESSED);
      }
    } catch (DeadLetteredException dead) {
      if (replyTo != null && taskId != null) {
        replies.sendError(replyTo, taskId, dead.getCause(), () -> finish(delivery, Acknowledgement.DEAD_LETTERED));
      } else {
        finish(delivery, Acknowledgement.DEAD_LETTERED);
      }
    } catch (Throwable unexpected) {
      // Could not even dead-letter it: leave it unacknowledged so it is delivered again after
      // a restart or rebalance, rather than lose it.
      log.error("task {} ({}) at {}-{}@{} was neither completed nor dead-lettered; it will be redelivered", taskId, taskName, delivery.topic(), delivery.partition(), delivery.offset(), unexpected);
      release();
    }
  }

  private Object chain(TaskContext task, int index, TaskMiddleware.Next handler) throws Exception {
    if (index == middleware.size()) {
      return handler.proceed();
    }
    return middleware.get(index).around(task, () -> chain(task, index + 1, handler));
  }

  private byte[] invoke(String taskName, byte[] value, boolean batch) throws Exception {
    if (taskName == null) {
      throw new NonRetriableTaskException("record has no " + WireHeaders.TASK + " header");
    }
    RegisteredHandler handler = handlers.find(taskName);
    if (handler == null) {
      throw new NonRetriableTaskException("unknown task '" + taskName + "'; this worker runs " + new TreeSet<>(handlers.names()));
    }
    if (value == null) {
      throw new NonRetriableTaskException("task '" + taskName + "' has no payload (null record value)");
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

  private void finish(Delivery delivery, Acknowledgement outcome) {
    delivery.acknowledge(outcome);
    long count = completed.incrementAndGet();
    release();
    onCompleted.accept(count);
  }

  private void release() {
    if (inFlight.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }
}
