package io.taskpool.core.redis;

import io.taskpool.core.TaskpoolException;
import io.taskpool.core.redis.LuaScripts.LockKeys;
import io.taskpool.core.sync.DistributedLock;
import io.taskpool.core.sync.LockHandle;
import io.taskpool.core.sync.LockObserver;
import io.taskpool.core.sync.StaleLockException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DistributedLock} on Redisson's {@code RLock}: the same Redis hash (field {@code <client
 * id>:<thread id>}, expiring with the lease), the same watchdog (a live holder's lease is extended
 * every third of the watchdog timeout from Redisson's config; a dead holder's runs out), the same
 * unlock message, so plain Redisson clients and taskpool exclude each other on one lock. Taking and
 * releasing it are taskpool's own scripts, which is where the speed comes from:
 *
 * <ul>
 *   <li>taking the lock also hands out the fencing token (one round trip, not two);
 *   <li>threads of one JVM queue on a local fair lock first, so one of them at a time competes;
 *   <li>a waiting process blocks on the lock's handoff list (BLPOP) and each release pushes one
 *       token while someone waits, so a release wakes one waiter; Redisson's pub/sub message wakes
 *       every waiting process to race, and the losers go back to waiting.
 * </ul>
 *
 * A lease that runs out silently (crashed holder) pushes no token, so a waiter tries again at least
 * every {@link #MAX_WAIT}.
 */
final class RedissonDistributedLock implements DistributedLock {
  private static final Logger log = LoggerFactory.getLogger(RedissonDistributedLock.class);
  private static final Duration MAX_WAIT = Duration.ofMillis(200);
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "taskpool-lock-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final String name;
  private final RedissonClient redisson;
  private final RLock rlock;
  private final LuaScripts scripts;
  private final LockKeys keys;
  private final long watchdogMillis;
  private final ReentrantLock local = new ReentrantLock(true);
  private final LockObserver observer;
  // Per holding thread: its token and re-entry depth, kept here so hot paths ask Redis nothing.
  private final Map<Long, Hold> holds = new ConcurrentHashMap<>();

  RedissonDistributedLock(
      String name,
      RedissonClient redisson,
      LuaScripts scripts,
      String lockKey,
      String fenceKey,
      LockObserver observer) {
    this.name = name;
    this.observer = observer;
    this.redisson = redisson;
    this.rlock = redisson.getLock(lockKey);
    this.scripts = scripts;
    this.keys = LockKeys.of(lockKey, fenceKey);
    this.watchdogMillis = redisson.getConfig().getLockWatchdogTimeout();
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

  /**
   * @param leaseMillis -1 for the watchdog lease
   */
  private boolean acquire(long waitNanos, long leaseMillis) {
    long start = System.nanoTime();
    long deadline = waitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + waitNanos;
    try {
      if (!local.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
        observer.gaveUp(name, System.nanoTime() - start);
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskpoolException("interrupted while waiting for lock " + name, e);
    }
    long thread = Thread.currentThread().getId();
    Hold existing = holds.get(thread);
    if (existing != null) {
      existing.depth++;
      return true;
    }
    try {
      long lease = leaseMillis < 0 ? watchdogMillis : leaseMillis;
      long token = acquireInRedis(deadline, lease, holderField(thread));
      long acquiredAt = System.nanoTime();
      if (token < 0) {
        local.unlock();
        observer.gaveUp(name, acquiredAt - start);
        return false;
      }
      observer.acquired(name, acquiredAt - start);
      Hold hold = new Hold(token, acquiredAt);
      if (leaseMillis < 0) {
        hold.watchdog =
            WATCHDOG.scheduleWithFixedDelay(
                () -> renew(hold, thread),
                watchdogMillis / 3,
                watchdogMillis / 3,
                TimeUnit.MILLISECONDS);
      }
      holds.put(thread, hold);
      return true;
    } catch (RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  /** The fencing token once taken, or -1 if the deadline passed first. */
  private long acquireInRedis(long deadline, long leaseMillis, String holder) {
    List<Long> attempt = scripts.lockAcquire(keys, leaseMillis, holder, true);
    if (attempt.get(0) > 0) {
      return attempt.get(0);
    }
    try {
      while (true) {
        Duration wait = MAX_WAIT;
        if (deadline != Long.MAX_VALUE) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return -1;
          }
          wait = Duration.ofNanos(Math.min(remaining, MAX_WAIT.toNanos()));
        }
        scripts.awaitHandoff(keys.handoff(), wait);
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new TaskpoolException("interrupted while waiting for lock " + name);
        }
        attempt = scripts.lockAcquire(keys, leaseMillis, holder, false);
        if (attempt.get(0) > 0) {
          return attempt.get(0);
        }
      }
    } finally {
      scripts.lockWaiting(keys.waiters(), -1);
    }
  }

  private void renew(Hold hold, long thread) {
    try {
      if (!scripts.lockRenew(keys.lock(), watchdogMillis, holderField(thread))) {
        hold.watchdog.cancel(false);
        log.warn(
            "lock {}: its lease was lost before the watchdog could extend it; the holder's next"
                + " fenced write will be refused",
            name);
        observer.renewalFailed(name, "lease lost");
      }
    } catch (RuntimeException e) {
      // Redis unreachable for a moment: the next round tries again; the lease may run out
      // meanwhile.
      log.warn(
          "lock {}: the watchdog could not extend its lease ({}); trying again in {} ms",
          name,
          e.getMessage(),
          watchdogMillis / 3);
      observer.renewalFailed(name, String.valueOf(e.getMessage()));
    }
  }

  @Override
  public void unlock() {
    long thread = Thread.currentThread().getId();
    Hold hold = holds.get(thread);
    if (hold == null) {
      throw new IllegalMonitorStateException("lock " + name + " is not held by this thread");
    }
    try {
      if (--hold.depth > 0) {
        return;
      }
      holds.remove(thread);
      if (hold.watchdog != null) {
        hold.watchdog.cancel(false);
      }
      observer.released(name, System.nanoTime() - hold.acquiredAt);
      if (!scripts.lockRelease(keys, holderField(thread))) {
        throw new StaleLockException(
            "lock " + name + " was no longer held at unlock: its lease ran out");
      }
    } finally {
      if (local.isHeldByCurrentThread()) {
        local.unlock();
      }
    }
  }

  /** Asks Redis, so it turns false once the lease ran out. */
  @Override
  public boolean isHeldByCurrentThread() {
    try {
      return rlock.isHeldByCurrentThread();
    } catch (RuntimeException e) {
      throw RedisErrors.operationFailure("ask about lock", keys.lock(), e);
    }
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
    final long acquiredAt;
    int depth = 1;
    volatile ScheduledFuture<?> watchdog;

    Hold(long token, long acquiredAt) {
      this.token = token;
      this.acquiredAt = acquiredAt;
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
