package io.taskpool.testkit.internal;

/** A running Kafka broker or Redis server, however it was provided. */
public interface Service extends AutoCloseable {
  /** Kafka bootstrap servers or Redis URL. */
  String address();

  /** Where it runs, for logs: "embedded KRaft broker", "redis-server process", ... */
  String describe();

  @Override
  void close();
}
