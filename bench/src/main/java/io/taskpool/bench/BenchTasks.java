package io.taskpool.bench;

import io.taskpool.worker.HandlerRegistry;
import io.taskpool.worker.TaskModule;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.JedisPooled;

/**
 * The benchmark's trivial tasks, as in the Python seed: square an int, do nothing, or wait some
 * milliseconds (a task that waits on I/O).
 */
public final class BenchTasks implements TaskModule {
  /** A task that counts its runs ({@code INCR <ns>:runs:<id>}) and then waits {@code ms}. */
  public record CountedSleep(String redis, String ns, int id, int ms) {}

  private final Map<String, JedisPooled> redis = new ConcurrentHashMap<>();

  @Override
  public void register(HandlerRegistry registry) {
    registry.register("square", Long.class, n -> n * n);
    registry.register("noop", String.class, s -> null);
    registry.register(
        "sleep-ms",
        Integer.class,
        ms -> {
          Thread.sleep(ms);
          return ms;
        });
    registry.register(
        "counted-sleep",
        CountedSleep.class,
        task -> {
          redis
              .computeIfAbsent(task.redis(), url -> new JedisPooled(URI.create(url)))
              .incr(task.ns() + ":runs:" + task.id());
          Thread.sleep(task.ms());
          return task.id();
        });
  }
}
