package io.taskpool.worker.middleware;

/**
 * Behaviour around every task (retries, dead-lettering, metrics, time limits), kept out of the poll
 * loop. A middleware calls {@code next.proceed()} zero or more times and returns its result. A
 * failed attempt arrives as a {@link TaskFailure} (its cause is the handler's exception); an {@link
 * AbandonedTaskException} passes through untouched.
 */
@FunctionalInterface
public interface TaskMiddleware {
  Object around(TaskContext task, Next next);

  /** The rest of the chain, ending in the handler. */
  @FunctionalInterface
  interface Next {
    /**
     * @throws TaskFailure when the attempt failed
     */
    Object proceed();
  }
}
