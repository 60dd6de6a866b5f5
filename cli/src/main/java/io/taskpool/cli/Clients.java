package io.taskpool.cli;

import io.taskpool.core.KafkaSettings;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;

/** Builds clients from the command line's connection settings. */
final class Clients {
  private Clients() {}

  static TaskClient taskClient(Connection connection) {
    KafkaSettings kafka = connection.kafkaSettings();
    connection.requireReachableKafka(kafka);
    return TaskClient.connect(
        ClientOptions.builder()
            .kafka(kafka)
            .namespace(connection.namespace().name())
            .queue(connection.queue())
            .build());
  }
}
