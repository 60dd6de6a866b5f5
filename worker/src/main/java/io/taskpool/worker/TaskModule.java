package io.taskpool.worker;

/**
 * A set of handlers found through {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.taskpool.worker.TaskModule} and every worker process started with
 * that jar on its class path runs these tasks, no launcher code needed.
 */
public interface TaskModule {
  void register(HandlerRegistry registry);
}
