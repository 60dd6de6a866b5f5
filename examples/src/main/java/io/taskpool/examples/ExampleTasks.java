package io.taskpool.examples;

import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.TaskModule;

/**
 * Example tasks, as a user's own task jar holds them. A worker finds this class through {@code
 * META-INF/services/io.taskpool.worker.TaskModule}, which lists it.
 *
 * <ul>
 *   <li>{@code square}: {@code n * n} over {@code long} (the seed's Pool example).
 *   <li>{@code add}: {@code a + b}, two arguments (for {@code starmap}).
 *   <li>{@code echo}: returns its text.
 *   <li>{@code sleep-ms}: waits that many milliseconds, returns them (a task that waits on I/O).
 *   <li>{@code print}: prints its text on the worker's stdout (the seed's Queue example).
 * </ul>
 */
public final class ExampleTasks implements TaskModule {
  @Override
  public void register(HandlerRegistry tasks) {
    tasks.register("square", Long.class, n -> Math.multiplyExact(n, n));
    tasks.register("add", Long.class, Long.class, Math::addExact);
    tasks.register("echo", String.class, text -> text);
    tasks.register(
        "sleep-ms",
        Integer.class,
        millis -> {
          Thread.sleep(millis);
          return millis;
        });
    tasks.register(
        "print",
        String.class,
        text -> {
          System.out.println(text);
          return null;
        });
  }
}
