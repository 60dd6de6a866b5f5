package io.taskpool.core.redis;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Scripts over Jedis: the calling thread does the socket I/O itself, which saves the two thread
 * hand-offs per call that an event-loop client pays. Measured here: 5 processes doing fast-path
 * increments ran ~7x faster than through Redisson's sync calls.
 */
final class JedisScriptRunner implements ScriptRunner {
  private final JedisPooled jedis;
  private final Map<String, String> shas = new ConcurrentHashMap<>();

  JedisScriptRunner(HostAndPort server, DefaultJedisClientConfig config) {
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(32);
    pool.setMaxIdle(32);
    pool.setJmxEnabled(false);
    this.jedis = new JedisPooled(pool, server, config);
  }

  @Override
  public Object eval(String script, List<String> keys, List<String> args) {
    String sha = shas.computeIfAbsent(script, jedis::scriptLoad);
    try {
      return jedis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException flushed) {
      // Redis restarted or SCRIPT FLUSH: load it again.
      shas.put(script, jedis.scriptLoad(script));
      return jedis.evalsha(shas.get(script), keys, args);
    }
  }

  @Override
  public String get(String key) {
    return jedis.get(key);
  }

  @Override
  public boolean blockingPop(String key, java.time.Duration timeout) {
    return jedis.blpop(Math.max(0.01, timeout.toMillis() / 1000.0), key) != null;
  }

  @Override
  public void close() {
    jedis.close();
  }
}
