package io.taskpool.it;

import static io.taskpool.it.RawKafka.header;
import static io.taskpool.it.RawKafka.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Follows docs/wire-format.md with plain Kafka clients only, as kcat or kafkajs would. */
@ExtendWith(LocalClusterExtension.class)
class RawWireFormatIT {

  @Test
  void aRawClientSubmitsTasksAndReadsTheirRepliesPerTheWireFormat(LocalCluster cluster)
      throws Exception {
    String ns = LocalCluster.uniqueNamespace("raw");
    try (Worker worker =
        new Worker(WorkerOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();

      // Given a reply topic the raw client made for itself
      String replyTopic = ns + ".replies.raw-client";
      try (Admin admin =
          Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.kafkaBootstrap()))) {
        admin
            .createTopics(List.of(new NewTopic(replyTopic, Optional.of(1), Optional.empty())))
            .all()
            .get();
      }

      // When it produces a single task and a batch task to <ns>.tasks.default
      RawKafka.produce(cluster, task(ns, "square", "raw-1", replyTopic, "12", false));
      RawKafka.produce(cluster, task(ns, "square", "raw-2", replyTopic + ":0", "[1,2,3]", true));

      // Then the replies carry the id, an ok status and the JSON result
      List<ConsumerRecord<byte[], byte[]>> replies =
          RawKafka.read(cluster, replyTopic, 2, Duration.ofSeconds(30));
      assertThat(replies).hasSize(2);
      ConsumerRecord<byte[], byte[]> single =
          replies.stream()
              .filter(r -> "raw-1".equals(header(r, "taskpool.id")))
              .findFirst()
              .orElseThrow();
      assertThat(header(single, "taskpool.status")).isEqualTo("ok");
      assertThat(new String(single.value())).isEqualTo("144");
      ConsumerRecord<byte[], byte[]> batch =
          replies.stream()
              .filter(r -> "raw-2".equals(header(r, "taskpool.id")))
              .findFirst()
              .orElseThrow();
      assertThat(new String(batch.value())).isEqualTo("[1,4,9]");
    }
  }

  private static ProducerRecord<byte[], byte[]> task(
      String ns, String name, String id, String replyTo, String json, boolean batch) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("taskpool.task", utf8(name));
    headers.add("taskpool.id", utf8(id));
    headers.add("taskpool.reply-to", utf8(replyTo));
    if (batch) {
      headers.add("taskpool.batch", utf8("true"));
    }
    return new ProducerRecord<byte[], byte[]>(
        ns + ".tasks.default", null, (byte[]) null, utf8(json), headers);
  }
}
