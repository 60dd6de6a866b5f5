package io.taskpool.it;

import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.TaskModule;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The tasks the integration tests run, found by worker processes through ServiceLoader. */
public final class TestTasks implements TaskModule {
  private final Set<Integer> failedOnce = ConcurrentHashMap.newKeySet();

  @Override
  public void register(HandlerRegistry registry) {
    registry.register("square", Integer.class, n -> n * n);
    registry.register("add", Integer.class, Integer.class, Integer::sum);
    registry.register("echo", String.class, s -> s);
    registry.register("lsquare", Long.class, n -> n * n);
    registry.register(
        "slow-square",
        Integer.class,
        n -> {
          Thread.sleep(2);
          return n * n;
        });
    registry.register(
        "boom",
        Integer.class,
        n -> {
          throw new IllegalStateException("boom on " + n);
        });
    registry.register(
        "never",
        Integer.class,
        n -> {
          throw new NonRetriableTaskException("input " + n + " can never work");
        });
    registry.register(
        "flaky",
        Integer.class,
        n -> {
          if (failedOnce.add(n)) {
            throw new IllegalStateException("first try of " + n + " fails");
          }
          return n;
        });
  }
}
