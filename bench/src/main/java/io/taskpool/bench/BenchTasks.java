package io.taskpool.bench;

import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.TaskModule;

/** The benchmark's trivial tasks, as in the Python seed: square an int, or do nothing. */
public final class BenchTasks implements TaskModule {
  @Override
  public void register(HandlerRegistry registry) {
    registry.register("square", Integer.class, n -> n * n);
    registry.register("noop", String.class, s -> null);
  }
}
