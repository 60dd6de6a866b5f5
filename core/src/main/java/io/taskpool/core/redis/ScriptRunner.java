package io.taskpool.core.redis;

import java.util.List;

/** Runs taskpool's Lua scripts and plain reads/writes: the counter's data path. */
interface ScriptRunner extends AutoCloseable {
  /**
   * Evaluates {@code script} (by SHA, loading it when Redis does not know it) and returns its
   * reply.
   */
  Object eval(String script, List<String> keys, List<String> args);

  String get(String key);

  /** BLPOP: waits up to {@code timeout} for an element of list {@code key}; false if none came. */
  boolean blockingPop(String key, java.time.Duration timeout);

  @Override
  void close();
}
