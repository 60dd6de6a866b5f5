package io.taskpool.it;

import static io.taskpool.it.RawKafka.header;
import static io.taskpool.it.RawKafka.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.Namespace;
import io.taskpool.core.TaskFailedException;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.RetryPolicy;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class PoisonRecordIT {

  @Test
  void poisonRecordsLandInTheDeadLetterTopicWithTheirErrorAndTheTasksAfterThemComplete(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("poison");
    Namespace namespace = Namespace.of(ns);
    WorkerOptions options =
        WorkerOptions.builder()
            .kafka(cluster.kafkaSettings())
            .namespace(ns)
            .taskPartitions(1)
            .retry(new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(100)))
            .build();
    try (Worker worker = new Worker(options);
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder()
                    .kafka(cluster.kafkaSettings())
                    .namespace(ns)
                    .taskPartitions(1)
                    .build())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();

      // Given three poison records on the single partition, ahead of good tasks
      RawKafka.produce(cluster, task(namespace, "square", "malformed-1", "{not json"));
      RawKafka.produce(cluster, task(namespace, "no-such-task", "unknown-1", "3"));
      assertThatThrownBy(() -> client.submit("boom", 7, Integer.class).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(TaskFailedException.class);

      // When good tasks follow them
      List<Integer> results =
          client.map("square", IntStream.range(0, 100).boxed().toList(), Integer.class);

      // Then the good tasks complete
      assertThat(results).hasSize(100).startsWith(0, 1, 4, 9);

      // And each poison record is in the dead-letter topic with its error
      Map<String, ConsumerRecord<byte[], byte[]>> dead =
          RawKafka.read(cluster, namespace.deadLetterTopic("default"), 3, Duration.ofSeconds(30))
              .stream()
              .collect(Collectors.toMap(r -> header(r, "taskpool.task"), Function.identity()));
      assertThat(dead).containsOnlyKeys("square", "no-such-task", "boom");

      ConsumerRecord<byte[], byte[]> malformed = dead.get("square");
      assertThat(header(malformed, "taskpool.error.type"))
          .isEqualTo("io.taskpool.core.NonRetriableTaskException");
      assertThat(header(malformed, "taskpool.error.message")).contains("malformed payload");
      assertThat(header(malformed, "taskpool.attempts")).isEqualTo("1");
      assertThat(new String(malformed.value())).isEqualTo("{not json");

      assertThat(header(dead.get("no-such-task"), "taskpool.error.message"))
          .contains("unknown task 'no-such-task'");

      ConsumerRecord<byte[], byte[]> thrown = dead.get("boom");
      assertThat(header(thrown, "taskpool.error.type"))
          .isEqualTo("java.lang.IllegalStateException");
      assertThat(header(thrown, "taskpool.error.message")).isEqualTo("boom on 7");
      assertThat(header(thrown, "taskpool.error.stacktrace"))
          .contains("IllegalStateException")
          .contains("at ");
      assertThat(header(thrown, "taskpool.attempts")).isEqualTo("3");
      assertThat(header(thrown, "taskpool.original.topic"))
          .isEqualTo(namespace.taskTopic("default"));
    }
  }

  private static ProducerRecord<byte[], byte[]> task(
      Namespace ns, String name, String id, String json) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("taskpool.task", utf8(name));
    headers.add("taskpool.id", utf8(id));
    return new ProducerRecord<byte[], byte[]>(
        ns.taskTopic("default"), null, (byte[]) null, utf8(json), headers);
  }
}
