package io.taskpool.it;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.JedisPooled;

/** Reads the run counts {@link TestTasks.Counted} writes: one Redis key per task id. */
final class ExecutionCounter {
  private static final Map<String, JedisPooled> POOLS = new ConcurrentHashMap<>();

  private final JedisPooled redis;
  private final String namespace;

  ExecutionCounter(String redisUrl, String namespace) {
    this.redis = redis(redisUrl);
    this.namespace = namespace;
  }

  static JedisPooled redis(String url) {
    return POOLS.computeIfAbsent(url, u -> new JedisPooled(URI.create(u)));
  }

  /** Runs of task {@code id}. */
  long runsOf(int id) {
    String value = redis.get(namespace + ":runs:" + id);
    return value == null ? 0 : Long.parseLong(value);
  }

  /** Runs per task id, for ids {@code 0..count-1}. */
  Map<Integer, Long> runsOfFirst(int count) {
    Map<Integer, Long> all = new TreeMap<>();
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = namespace + ":runs:" + i;
    }
    var values = redis.mget(keys);
    for (int i = 0; i < count; i++) {
      all.put(i, values.get(i) == null ? 0 : Long.parseLong(values.get(i)));
    }
    return all;
  }

  /** Executions beyond one per task, over ids {@code 0..count-1}. */
  long duplicates(int count) {
    return runsOfFirst(count).values().stream().mapToLong(n -> Math.max(0, n - 1)).sum();
  }

  /** Tasks among {@code 0..count-1} that never ran. */
  long neverRan(int count) {
    return runsOfFirst(count).values().stream().filter(n -> n == 0).count();
  }
}
