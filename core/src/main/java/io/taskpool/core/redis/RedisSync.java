package io.taskpool.core.redis;

import io.taskpool.core.Namespace;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.redis.LuaScripts.CounterKeys;
import io.taskpool.core.sync.DistributedLock;
import io.taskpool.core.sync.FencedMap;
import io.taskpool.core.sync.LockObserver;
import io.taskpool.core.sync.SharedCounter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * Python's {@code Lock} and {@code Value} across processes and hosts, on Redis: locks are Redisson
 * {@code RLock}s; the counter's scripts run over Jedis (single server) or Redisson
 * (Sentinel/Cluster config file). One per process; thread-safe. Every key lives under the
 * namespace, as {@code <ns>:{name}:...}.
 *
 * <pre>{@code
 * try (RedisSync sync = RedisSync.connect(RedisSettings.fromUrl("redis://localhost:6379"), Namespace.DEFAULT)) {
 *   SharedCounter counter = sync.counter("hits");
 *   counter.incrementAndGet();
 * }
 * }</pre>
 */
public final class RedisSync implements AutoCloseable {
  private final RedissonClient redisson;
  private final Namespace namespace;
  private final LuaScripts scripts;
  // One lock object per name, so all threads of this JVM queue on the same local lock first.
  private final Map<String, RedissonDistributedLock> locks = new ConcurrentHashMap<>();

  private final ScriptRunner runner;
  private final LockObserver observer;

  private RedisSync(
      RedissonClient redisson, ScriptRunner runner, Namespace namespace, LockObserver observer) {
    this.redisson = redisson;
    this.observer = observer;
    this.runner = runner;
    this.namespace = namespace;
    this.scripts = new LuaScripts(runner);
  }

  /**
   * @throws TaskpoolException when Redis cannot be reached
   */
  public static RedisSync connect(RedisSettings settings, Namespace namespace) {
    return connect(settings, namespace, LockObserver.NONE);
  }

  /**
   * As {@link #connect(RedisSettings, Namespace)}, every lock (those of counters and fenced maps
   * too) reporting to {@code observer}, e.g. a {@link MicrometerLockObserver}.
   *
   * @throws TaskpoolException when Redis cannot be reached
   */
  public static RedisSync connect(
      RedisSettings settings, Namespace namespace, LockObserver observer) {
    try {
      RedissonClient redisson = Redisson.create(settings.toRedissonConfig());
      return new RedisSync(redisson, settings.scriptRunner(redisson), namespace, observer);
    } catch (RuntimeException e) {
      throw new TaskpoolException(RedisErrors.connectFailure(settings, e), e);
    }
  }

  /** The lock of this name, shared by every process using the same namespace. */
  public DistributedLock lock(String name) {
    return newLock(name);
  }

  /** The counter of this name, guarded by the lock of the same name. */
  public SharedCounter counter(String name) {
    CounterKeys keys = keys(name);
    return new RedisSharedCounter(name, runner, newLock(name), scripts, keys);
  }

  /** The map of this name, rewritten only by the holder of the lock of the same name. */
  public FencedMap fencedMap(String name) {
    CounterKeys keys = keys(name);
    return new RedisFencedMap(
        name,
        newLock(name),
        redisson,
        scripts,
        keys.lock(),
        namespace.redisKey("{" + name + "}", "map"),
        keys.accepted());
  }

  private RedissonDistributedLock newLock(String name) {
    return locks.computeIfAbsent(
        name,
        n -> {
          CounterKeys keys = keys(n);
          return new RedissonDistributedLock(
              n, redisson, scripts, keys.lock(), keys.fence(), observer);
        });
  }

  private CounterKeys keys(String name) {
    Namespace.requireName("lock/counter name", name);
    String tag = "{" + name + "}";
    return new CounterKeys(
        namespace.redisKey(tag, "lock"),
        namespace.redisKey(tag, "fence"),
        namespace.redisKey(tag, "value"),
        namespace.redisKey(tag, "accepted"));
  }

  /** The underlying client, for plain-Redisson comparisons in benchmarks. */
  public RedissonClient redisson() {
    return redisson;
  }

  @Override
  public void close() {
    runner.close();
    redisson.shutdown();
  }
}
