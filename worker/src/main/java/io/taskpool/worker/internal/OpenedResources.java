package io.taskpool.worker.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a start-up has opened so far (clients, threads, servers), so that when a later step fails
 * everything is closed, newest first, before the failure propagates: a failed start leaves nothing
 * running. A close that fails too is added to the failure as suppressed. Not thread-safe.
 */
public final class OpenedResources {
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Records {@code resource} as opened; returns it. */
  public <T extends AutoCloseable> T add(T resource) {
    opened.push(resource);
    return resource;
  }

  /** Closes every resource recorded, newest first, each once; failures go to {@code failure}. */
  public void closeAfter(Throwable failure) {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception | Error e) {
        failure.addSuppressed(e);
      }
    }
  }
}
