package io.taskpool.core.redis;

import java.util.ArrayList;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.LongCodec;
import org.redisson.client.codec.StringCodec;

/** Scripts over Redisson, for Sentinel and Cluster set-ups described by a Redisson config file. */
final class RedissonScriptRunner implements ScriptRunner {
  private final RedissonClient redisson;
  private final RScript script;

  RedissonScriptRunner(RedissonClient redisson) {
    this.redisson = redisson;
    this.script = redisson.getScript(LongCodec.INSTANCE);
  }

  @Override
  public Object eval(String lua, List<String> keys, List<String> args) {
    return script.eval(
        RScript.Mode.READ_WRITE,
        lua,
        RScript.ReturnType.LIST,
        new ArrayList<Object>(keys),
        args.toArray());
  }

  @Override
  public String get(String key) {
    return redisson.<String>getBucket(key, StringCodec.INSTANCE).get();
  }

  /** Redisson's BLPOP takes whole seconds (at least one). */
  @Override
  public boolean blockingPop(String key, java.time.Duration timeout) {
    try {
      return redisson
              .<String>getBlockingQueue(key, StringCodec.INSTANCE)
              .poll(Math.max(1, timeout.toSeconds()), java.util.concurrent.TimeUnit.SECONDS)
          != null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    // The Redisson client is closed by its owner.
  }
}
