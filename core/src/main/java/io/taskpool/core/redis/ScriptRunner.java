package io.taskpool.core.redis;

import java.util.List;

/** Runs taskpool's Lua scripts and plain reads/writes: the counter's data path. */
interface ScriptRunner extends AutoCloseable {
  /** Evaluates {@code script} (by SHA, loading it when Redis does not know it) and returns its reply. */
  Object eval(String script, List<String> keys, List<String> args);

  String get(String key);

  void set(String key, String value);

  @Override
  void close();
}
