package io.taskpool.worker.middleware;

/**
 * Behaviour around every task (retries, dead-lettering, metrics, time limits), kept out of the
 * poll loop. A middleware calls {@code next.proceed()} zero or more times and returns its result.
 */
@FunctionalInterface
public interface TaskMiddleware {
  Object around(TaskContext task, Next next) throws Exception;

  /** The rest of the chain, ending in the handler. */
  @FunctionalInterface
  interface Next {
    Object proceed() throws Exception;
  }
}
