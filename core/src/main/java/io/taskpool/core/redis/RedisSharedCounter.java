package io.taskpool.core.redis;

import io.taskpool.core.TaskpoolException;
import io.taskpool.core.redis.LuaScripts.CounterKeys;
import io.taskpool.core.sync.DistributedLock;
import io.taskpool.core.sync.LockHandle;
import io.taskpool.core.sync.SharedCounter;
import io.taskpool.core.sync.StaleLockException;
import java.util.List;
import java.util.function.LongUnaryOperator;

/** {@link SharedCounter} as a Redis string, its fast path and fenced writes as Lua scripts. */
final class RedisSharedCounter implements SharedCounter {
  private final String name;
  private final RedissonDistributedLock lock;
  private final LuaScripts scripts;
  private final CounterKeys keys;
  private final ScriptRunner redis;

  RedisSharedCounter(
      String name,
      ScriptRunner redis,
      RedissonDistributedLock lock,
      LuaScripts scripts,
      CounterKeys keys) {
    this.name = name;
    this.redis = redis;
    this.lock = lock;
    this.scripts = scripts;
    this.keys = keys;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long get() {
    String current;
    try {
      current = redis.get(keys.value());
    } catch (RuntimeException e) {
      throw RedisErrors.operationFailure("read counter", keys.value(), e);
    }
    try {
      return current == null ? 0 : Long.parseLong(current);
    } catch (NumberFormatException e) {
      throw new TaskpoolException(
          "counter "
              + name
              + " ("
              + keys.value()
              + ") holds '"
              + current
              + "', not a whole number: something other than taskpool wrote it",
          e);
    }
  }

  @Override
  public long incrementAndGet() {
    return addAndGet(1);
  }

  @Override
  public long addAndGet(long delta) {
    if (!lock.heldLocallyByCurrentThread()) {
      List<Long> fast = scripts.counterFast(keys, "add", delta);
      if (fast.get(0) == 1) {
        return fast.get(1);
      }
    }
    // Someone holds the lock: wait for it like any other holder, then write fenced.
    try (LockHandle held = lock.acquire()) {
      return guarded(held, "add", delta);
    }
  }

  @Override
  public void set(long newValue) {
    try (LockHandle held = lock.acquire()) {
      guarded(held, "set", newValue);
    }
  }

  @Override
  public boolean compareAndSet(long expected, long newValue) {
    if (!lock.heldLocallyByCurrentThread()) {
      List<Long> fast = scripts.counterFast(keys, "cas", expected, newValue);
      if (fast.get(0) == 1) {
        return fast.get(1) == 1;
      }
    }
    try (LockHandle held = lock.acquire()) {
      if (get() != expected) {
        return false;
      }
      guarded(held, "set", newValue);
      return true;
    }
  }

  @Override
  public long update(LongUnaryOperator function) {
    try (LockHandle held = lock.acquire()) {
      long next = function.applyAsLong(get());
      guarded(held, "set", next);
      return next;
    }
  }

  @Override
  public void write(LockHandle held, long newValue) {
    guarded(held, "set", newValue);
  }

  @Override
  public DistributedLock lock() {
    return lock;
  }

  private long guarded(LockHandle held, String operation, long operand) {
    List<Long> result =
        scripts.counterGuarded(
            keys,
            lock.holderField(Thread.currentThread().getId()),
            held.token(),
            operation,
            operand);
    long status = result.get(0);
    if (status == -1) {
      throw new StaleLockException(
          "write to counter "
              + name
              + " refused: token "
              + held.token()
              + " no longer holds lock "
              + lock.name()
              + " (its lease ran out)");
    }
    if (status == -2) {
      throw new StaleLockException(
          "write to counter "
              + name
              + " refused: token "
              + held.token()
              + " is older than a write already accepted");
    }
    return result.get(1);
  }
}
