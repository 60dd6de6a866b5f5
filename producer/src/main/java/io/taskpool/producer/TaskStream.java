package io.taskpool.producer;

import java.util.Iterator;

/**
 * Results of an {@code imap}/{@code imapUnordered} call as they arrive. {@link #next()} blocks
 * until the next result is there, and throws {@link io.taskpool.core.TaskFailedException} where a
 * task failed and {@link io.taskpool.core.TaskTimeoutException} when the call's timeout passed.
 * Closing it cancels what is still outstanding. Read it from one thread.
 */
public interface TaskStream<R> extends Iterator<R>, AutoCloseable {
  /** Stops sending, forgets outstanding tasks; results already sent may still run on workers. */
  @Override
  void close();
}
