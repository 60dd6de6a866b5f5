package io.taskpool.core.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.LongCodec;

/** taskpool's Lua scripts (src/main/resources/lua), read once, run by SHA through Redisson. */
final class LuaScripts {
  private final RScript script;
  private final String fenceAcquired = load("fence_acquired.lua");
  private final String counterFast = load("counter_fast.lua");
  private final String counterGuarded = load("counter_guarded.lua");

  LuaScripts(RedissonClient redisson) {
    this.script = redisson.getScript(LongCodec.INSTANCE);
  }

  long fenceAcquired(String lockKey, String fenceKey, String holderField) {
    Long token = script.eval(RScript.Mode.READ_WRITE, fenceAcquired, RScript.ReturnType.LONG, List.of(lockKey, fenceKey), holderField);
    return token;
  }

  List<Long> counterFast(CounterKeys keys, Object... args) {
    return script.eval(RScript.Mode.READ_WRITE, counterFast, RScript.ReturnType.LIST, List.of(keys.lock(), keys.fence(), keys.value(), keys.accepted()), args);
  }

  List<Long> counterGuarded(CounterKeys keys, String holderField, long token, String operation, long operand) {
    return script.eval(RScript.Mode.READ_WRITE, counterGuarded, RScript.ReturnType.LIST, List.of(keys.lock(), keys.value(), keys.accepted()), holderField, token, operation, operand);
  }

  private static String load(String name) {
    try (InputStream in = LuaScripts.class.getResourceAsStream("/lua/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script /lua/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Redis keys of one lock and its counter; one hash tag so Cluster keeps them in one slot. */
  record CounterKeys(String lock, String fence, String value, String accepted) {}
}
