package io.taskpool.core.redis;

import io.taskpool.core.TaskpoolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * core's Lua scripts (src/main/resources/lua, through {@link LuaScript}), read once, run by SHA.
 */
final class LuaScripts {
  private static final String LOCK_ACQUIRE =
      LuaScript.load(LuaScripts.class, "lock_acquire.lua").source();
  private static final String LOCK_RELEASE =
      LuaScript.load(LuaScripts.class, "lock_release.lua").source();
  private static final String LOCK_RENEW =
      LuaScript.load(LuaScripts.class, "lock_renew.lua").source();
  private static final String COUNTER_FAST =
      LuaScript.load(LuaScripts.class, "counter_fast.lua").source();
  private static final String COUNTER_GUARDED =
      LuaScript.load(LuaScripts.class, "counter_guarded.lua").source();
  private static final String MAP_FENCED_REPLACE =
      LuaScript.load(LuaScripts.class, "map_fenced_replace.lua").source();
  private static final String LOCK_WAITING =
      LuaScript.load(LuaScripts.class, "lock_waiting.lua").source();

  private final ScriptRunner runner;

  LuaScripts(ScriptRunner runner) {
    this.runner = runner;
  }

  /**
   * One attempt at the lock: {token} when taken, else {-1, pttl}; with {@code countAsWaiter} a
   * failed attempt also counts the caller among the waiters.
   */
  List<Long> lockAcquire(
      LockKeys keys, long leaseMillis, String holderField, boolean countAsWaiter) {
    return longs(
        run(
            "take lock",
            LOCK_ACQUIRE,
            List.of(keys.lock(), keys.fence(), keys.waiters()),
            List.of(String.valueOf(leaseMillis), holderField, countAsWaiter ? "1" : "0")));
  }

  /** True if released; false if {@code holderField} no longer held it. */
  boolean lockRelease(LockKeys keys, String holderField) {
    return longs(
                run(
                    "release lock",
                    LOCK_RELEASE,
                    List.of(keys.lock(), keys.channel(), keys.waiters(), keys.handoff()),
                    List.of(holderField)))
            .get(0)
        == 1;
  }

  /** True if the lease was extended; false if {@code holderField} no longer holds the lock. */
  boolean lockRenew(String lockKey, long leaseMillis, String holderField) {
    return longs(
                run(
                    "renew lock",
                    LOCK_RENEW,
                    List.of(lockKey),
                    List.of(String.valueOf(leaseMillis), holderField)))
            .get(0)
        == 1;
  }

  List<Long> counterFast(CounterKeys keys, Object... args) {
    List<String> values = new ArrayList<>(args.length);
    for (Object arg : args) {
      values.add(String.valueOf(arg));
    }
    return longs(
        run(
            "update counter",
            COUNTER_FAST,
            List.of(keys.lock(), keys.fence(), keys.value(), keys.accepted()),
            values));
  }

  List<Long> counterGuarded(
      CounterKeys keys, String holderField, long token, String operation, long operand) {
    return longs(
        run(
            "write counter",
            COUNTER_GUARDED,
            List.of(keys.lock(), keys.value(), keys.accepted()),
            List.of(holderField, String.valueOf(token), operation, String.valueOf(operand))));
  }

  /** Counts this process in (+1) or out (-1) of the lock's waiters. */
  void lockWaiting(String waitersKey, int delta) {
    run(
        "count the waiters of lock",
        LOCK_WAITING,
        List.of(waitersKey),
        List.of(String.valueOf(delta)));
  }

  /** Waits up to {@code timeout} for a handoff token; false if none came. */
  boolean awaitHandoff(String handoffKey, java.time.Duration timeout) {
    try {
      return runner.blockingPop(handoffKey, timeout);
    } catch (TaskpoolException e) {
      throw e;
    } catch (RuntimeException e) {
      throw RedisErrors.operationFailure("wait for the handoff of", handoffKey, e);
    }
  }

  /**
   * 1 if written; -1 if {@code holderField} no longer holds the lock; -2 if a newer token was
   * accepted.
   */
  long mapFencedReplace(
      String lockKey,
      String mapKey,
      String acceptedKey,
      String holderField,
      long token,
      Map<String, String> entries) {
    List<String> args = new ArrayList<>(2 + 2 * entries.size());
    args.add(holderField);
    args.add(String.valueOf(token));
    entries.forEach(
        (field, value) -> {
          args.add(field);
          args.add(value);
        });
    return longs(run("write map", MAP_FENCED_REPLACE, List.of(lockKey, mapKey, acceptedKey), args))
        .get(0);
  }

  /**
   * Runs {@code script}; what Redisson or Jedis throw (a timeout, a lost connection, a refused
   * command) becomes one {@link TaskpoolException} naming the operation and its first key.
   */
  private Object run(String what, String script, List<String> keys, List<String> args) {
    try {
      return runner.eval(script, keys, args);
    } catch (TaskpoolException e) {
      throw e;
    } catch (RuntimeException e) {
      throw RedisErrors.operationFailure(what, keys.get(0), e);
    }
  }

  private static List<Long> longs(Object reply) {
    List<Long> result = new ArrayList<>();
    for (Object element : (List<?>) reply) {
      result.add(((Number) element).longValue());
    }
    return result;
  }

  /**
   * The Redis keys of one lock: the Redisson RLock hash, the fencing sequence, Redisson's unlock
   * channel, and taskpool's count of waiting processes and handoff list.
   */
  record LockKeys(String lock, String fence, String channel, String waiters, String handoff) {
    static LockKeys of(String lockKey, String fenceKey) {
      // Redisson names the channel after the lock; a name with a hash tag keeps it as is.
      return new LockKeys(
          lockKey,
          fenceKey,
          "redisson_lock__channel:" + lockKey,
          lockKey + ":waiters",
          lockKey + ":handoff");
    }
  }

  /** The Redis keys of one lock and its counter; one hash tag so Cluster keeps them in one slot. */
  record CounterKeys(String lock, String fence, String value, String accepted) {}
}
