package io.taskpool.worker;

/** A task of two arguments, called by {@code starmap} with each argument pair. */
@FunctionalInterface
public interface TaskHandler2<A, B, O> {
  O handle(A first, B second) throws Exception;
}
