package io.taskpool.core.redis;

import io.taskpool.core.TaskpoolException;
import io.taskpool.core.sync.DistributedLock;
import io.taskpool.core.sync.LockHandle;
import io.taskpool.core.sync.StaleLockException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * {@link DistributedLock} on a Redisson {@code RLock}, with two things added: a fencing token per
 * acquisition (taken in the same script that checks the holder still holds the lock), and less
 * contention churn within a JVM: its threads queue on a local fair lock first, so only one of them
 * at a time competes in Redis. (Spinning with tryLock before Redisson's pub/sub wait was measured
 * and did not beat plain Redisson across processes, so waiting is Redisson's own.)
 */
final class RedissonDistributedLock implements DistributedLock {

  private final String name;
  private final RedissonClient redisson;
  private final RLock rlock;
  private final LuaScripts scripts;
  private final String lockKey;
  private final String fenceKey;
  private final ReentrantLock local = new ReentrantLock(true);
  // Per holding thread: its token and re-entry depth, kept here so hot paths ask Redis nothing.
  private final Map<Long, Hold> holds = new ConcurrentHashMap<>();

  RedissonDistributedLock(String name, RedissonClient redisson, LuaScripts scripts, String lockKey, String fenceKey) {
    this.name = name;
    this.redisson = redisson;
    this.rlock = redisson.getLock(lockKey);
    this.scripts = scripts;
    this.lockKey = lockKey;
    this.fenceKey = fenceKey;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public LockHandle acquire() {
    lock();
    return new Handle(currentToken());
  }

  @Override
  public Optional<LockHandle> tryAcquire(Duration wait) {
    return acquire(wait.toNanos(), -1) ? Optional.of(new Handle(currentToken())) : Optional.empty();
  }

  @Override
  public Optional<LockHandle> tryAcquire(Duration wait, Duration lease) {
    return tryLock(wait, lease) ? Optional.of(new Handle(currentToken())) : Optional.empty();
  }

  @Override
  public void lock() {
    if (!acquire(Long.MAX_VALUE, -1)) {
      throw new TaskpoolException("lock " + name + " could not be acquired");
    }
  }

  @Override
  public boolean tryLock(Duration wait, Duration lease) {
    return acquire(wait.toNanos(), lease.toMillis());
  }

  /** @param leaseMillis -1 for Redisson's watchdog lease */
  private boolean acquire(long waitNanos, long leaseMillis) {
    long deadline = waitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + waitNanos;
    try {
      if (!local.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while waiting for lock " + name, e);
    }
    long thread = Thread.currentThread().getId();
    Hold existing = holds.get(thread);
    try {
      while (true) {
        if (!acquireInRedis(deadline, leaseMillis)) {
          local.unlock();
          return false;
        }
        if (existing != null) {
          existing.depth++;
          return true;
        }
        long token = scripts.fenceAcquired(lockKey, fenceKey, holderField(thread));
        if (token > 0) {
          holds.put(thread, new Hold(token));
          return true;
        }
        // The lease ran out between taking the lock and fencing it: take it again.
      }
    } catch (RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  private boolean acquireInRedis(long deadline, long leaseMillis) {
    try {
      if (deadline == Long.MAX_VALUE) {
        rlock.lock(leaseMillis, TimeUnit.MILLISECONDS);
        return true;
      }
      long remainingMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      return rlock.tryLock(remainingMillis, leaseMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while waiting for lock " + name, e);
    }
  }

  @Override
  public void unlock() {
    long thread = Thread.currentThread().getId();
    Hold hold = holds.get(thread);
    try {
      if (hold != null && --hold.depth == 0) {
        holds.remove(thread);
      }
      rlock.unlock();
    } catch (IllegalMonitorStateException lost) {
      holds.remove(thread);
      throw new StaleLockException("lock " + name + " was no longer held at unlock: its lease ran out");
    } finally {
      if (local.isHeldByCurrentThread()) {
        local.unlock();
      }
    }
  }

  /** Asks Redis, so it turns false once the lease ran out. */
  @Override
  public boolean isHeldByCurrentThread() {
    return rlock.isHeldByCurrentThread();
  }

  /** What this process believes, without a round trip: true between acquire and unlock. */
  boolean heldLocallyByCurrentThread() {
    return holds.containsKey(Thread.currentThread().getId());
  }

  @Override
  public long currentToken() {
    Hold hold = holds.get(Thread.currentThread().getId());
    if (hold == null) {
      throw new IllegalStateException("lock " + name + " is not held by this thread");
    }
    return hold.token;
  }

  /** The field Redisson keeps a holder under in the lock's hash. */
  String holderField(long threadId) {
    return redisson.getId() + ":" + threadId;
  }

  private static final class Hold {
    final long token;
    int depth = 1;

    Hold(long token) {
      this.token = token;
    }
  }

  private final class Handle implements LockHandle {
    private final long token;
    private boolean closed;

    Handle(long token) {
      this.token = token;
    }

    @Override
    public long token() {
      return token;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        unlock();
      }
    }
  }
}
