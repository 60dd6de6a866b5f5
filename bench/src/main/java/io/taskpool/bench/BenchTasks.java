package io.taskpool.bench;

import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.TaskModule;

/** The benchmark's trivial tasks, as in the Python seed: square an int, do nothing, or wait some milliseconds (a task that waits on I/O). */
public final class BenchTasks implements TaskModule {
  @Override
  public void register(HandlerRegistry registry) {
    registry.register("square", Integer.class, n -> n * n);
    registry.register("noop", String.class, s -> null);
    registry.register(
        "sleep-ms",
        Integer.class,
        ms -> {
          Thread.sleep(ms);
          return ms;
        });
  }
}
