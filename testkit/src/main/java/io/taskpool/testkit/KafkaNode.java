package io.taskpool.testkit;

/**
 * One broker of a test cluster started as processes ({@code @ClusterSpec(brokers = 3)}), to fail on
 * purpose. Every node is broker and controller (combined roles): three JVMs rather than six on a
 * 2-core machine, and losing one still leaves a controller quorum of two.
 */
public interface KafkaNode {
  /** Its {@code node.id}, as Admin's descriptions name leaders. */
  int id();

  /** {@code host:port} of its client listener. */
  String address();

  /** SIGKILL: no clean shutdown, no leadership handed over. */
  void kill();

  /** SIGTERM: a clean shutdown (leadership moves first); waits until the process exited. */
  void stop();

  /** Starts it again on its ports and log dir and waits until it serves metadata. */
  void start();

  /** SIGSTOP: hangs with its connections open. */
  void pause();

  /** SIGCONT after {@link #pause()}. */
  void resume();

  boolean isRunning();
}
