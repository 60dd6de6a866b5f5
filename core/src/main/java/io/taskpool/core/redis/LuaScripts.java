package io.taskpool.core.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** taskpool's Lua scripts (src/main/resources/lua), read once, run by SHA. */
final class LuaScripts {
  private static final String FENCE_ACQUIRED = load("fence_acquired.lua");
  private static final String COUNTER_FAST = load("counter_fast.lua");
  private static final String COUNTER_GUARDED = load("counter_guarded.lua");
  private static final String MAP_FENCED_REPLACE = load("map_fenced_replace.lua");

  private final ScriptRunner runner;

  LuaScripts(ScriptRunner runner) {
    this.runner = runner;
  }

  /** The new fencing token, or -1 if {@code holderField} no longer holds the lock. */
  long fenceAcquired(String lockKey, String fenceKey, String holderField) {
    return longs(runner.eval(FENCE_ACQUIRED, List.of(lockKey, fenceKey), List.of(holderField))).get(0);
  }

  List<Long> counterFast(CounterKeys keys, Object... args) {
    List<String> values = new ArrayList<>(args.length);
    for (Object arg : args) {
      values.add(String.valueOf(arg));
    }
    return longs(runner.eval(COUNTER_FAST, List.of(keys.lock(), keys.fence(), keys.value(), keys.accepted()), values));
  }

  List<Long> counterGuarded(CounterKeys keys, String holderField, long token, String operation, long operand) {
    return longs(runner.eval(COUNTER_GUARDED, List.of(keys.lock(), keys.value(), keys.accepted()), List.of(holderField, String.valueOf(token), operation, String.valueOf(operand))));
  }

  /** 1 if written; -1 if {@code holderField} no longer holds the lock; -2 if a newer token was accepted. */
  long mapFencedReplace(String lockKey, String mapKey, String acceptedKey, String holderField, long token, Map<String, String> entries) {
    List<String> args = new ArrayList<>(2 + 2 * entries.size());
    args.add(holderField);
    args.add(String.valueOf(token));
    entries.forEach(
        (field, value) -> {
          args.add(field);
          args.add(value);
        });
    return longs(runner.eval(MAP_FENCED_REPLACE, List.of(lockKey, mapKey, acceptedKey), args)).get(0);
  }

  private static List<Long> longs(Object reply) {
    List<Long> result = new ArrayList<>();
    for (Object element : (List<?>) reply) {
      result.add(((Number) element).longValue());
    }
    return result;
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
