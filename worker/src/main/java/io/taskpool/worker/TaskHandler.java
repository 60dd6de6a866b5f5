package io.taskpool.worker;

/** The code of one task: turns a decoded input into a JSON-serialisable result. */
@FunctionalInterface
public interface TaskHandler<I, O> {
  /**
   * @throws Exception anything; the worker retries with backoff, then dead-letters the task. Throw
   *     {@link io.taskpool.core.NonRetriableTaskException} to skip the retries, {@link
   *     io.taskpool.core.RetryTaskException} to retry without an ERROR log.
   */
  O handle(I input) throws Exception;
}
