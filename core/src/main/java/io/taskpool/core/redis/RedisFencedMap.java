package io.taskpool.core.redis;

import io.taskpool.core.sync.DistributedLock;
import io.taskpool.core.sync.FencedMap;
import io.taskpool.core.sync.LockHandle;
import io.taskpool.core.sync.StaleLockException;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * {@link FencedMap} as a Redis hash, replaced by a Lua script that checks the lock and the fence.
 */
final class RedisFencedMap implements FencedMap {
  private final String name;
  private final RedissonDistributedLock lock;
  private final RedissonClient redisson;
  private final LuaScripts scripts;
  private final String lockKey;
  private final String mapKey;
  private final String acceptedKey;

  RedisFencedMap(
      String name,
      RedissonDistributedLock lock,
      RedissonClient redisson,
      LuaScripts scripts,
      String lockKey,
      String mapKey,
      String acceptedKey) {
    this.name = name;
    this.lock = lock;
    this.redisson = redisson;
    this.scripts = scripts;
    this.lockKey = lockKey;
    this.mapKey = mapKey;
    this.acceptedKey = acceptedKey;
  }

  @Override
  public DistributedLock lock() {
    return lock;
  }

  @Override
  public void replace(LockHandle held, Map<String, String> entries) {
    long status =
        scripts.mapFencedReplace(
            lockKey,
            mapKey,
            acceptedKey,
            lock.holderField(Thread.currentThread().getId()),
            held.token(),
            entries);
    if (status == -1) {
      throw new StaleLockException(
          "write to map "
              + name
              + " refused: token "
              + held.token()
              + " no longer holds lock "
              + lock.name()
              + " (its lease ran out)");
    }
    if (status == -2) {
      throw new StaleLockException(
          "write to map "
              + name
              + " refused: token "
              + held.token()
              + " is older than a write already accepted");
    }
  }

  @Override
  public Map<String, String> read() {
    try {
      return redisson.<String, String>getMap(mapKey, StringCodec.INSTANCE).readAllMap();
    } catch (RuntimeException e) {
      throw RedisErrors.operationFailure("read map", mapKey, e);
    }
  }
}
