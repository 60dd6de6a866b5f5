package io.taskpool.dev;

import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.TaskModule;

/** The demo's Queue task: print the item as the seed's worker does. */
public final class DemoTasks implements TaskModule {
  @Override
  public void register(HandlerRegistry registry) {
    registry.register(
        "print",
        String.class,
        item -> {
          System.out.println("Worker " + ProcessHandle.current().pid() + " processing: " + item);
          return null;
        });
  }
}
