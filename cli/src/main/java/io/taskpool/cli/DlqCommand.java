package io.taskpool.cli;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.kafka.TopicAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows the dead-letter topic: one JSON line per failed task, with its error headers. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "dlq list: print dead-lettered tasks as JSON lines")
final class DlqCommand implements Runnable {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "list")
  Action action;

  enum Action {
    list
  }

  @Override
  public void run() {
    KafkaSettings kafka = connection.kafkaSettings();
    connection.requireReachableKafka(kafka);
    String topic = connection.namespace().deadLetterTopic(connection.queue());
    try (TopicAdmin admin = new TopicAdmin(kafka)) {
      if (admin.partitionCount(topic).isEmpty()) {
        spec.commandLine().getErr().println("taskpool: no dead-letter topic " + topic + " yet: nothing was dead-lettered");
        return;
      }
    }
    TopicPartition partition = new TopicPartition(topic, 0);
    JsonCodec json = new JsonCodec();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.clientConfig(Map.of("enable.auto.commit", false)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("offset", record.offset());
          for (Header header : record.headers()) {
            line.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
          }
          line.put("value", record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
          spec.commandLine().getOut().println(new String(json.encode(line), StandardCharsets.UTF_8));
        }
      }
    }
  }
}
