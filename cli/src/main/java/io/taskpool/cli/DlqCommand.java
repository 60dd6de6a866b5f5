package io.taskpool.cli;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.core.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The dead-letter topic: {@code list} prints one JSON line per failed task with its error headers;
 * {@code replay} puts every dead letter back on the task topic (without the error headers) and
 * prints how many. Replaying twice submits twice: the dead-letter topic is read, never trimmed.
 */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "The queue's dead letters: tasks that failed for good, with their error.",
    footerHeading = "%nExamples:%n",
    footer = {"  taskpool dlq list --queue emails", "  taskpool dlq replay --queue emails"})
final class DlqCommand implements Runnable {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ACTION", description = "list (print each dead letter as a JSON line with its error headers) or replay (put every dead letter back on the task topic, without its error headers)")
  Action action;

  enum Action {
    list,
    replay
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
    List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(kafka, new TopicPartition(topic, 0));
    if (action == Action.list) {
      JsonCodec json = new JsonCodec();
      for (ConsumerRecord<byte[], byte[]> record : deadLetters) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("offset", record.offset());
        for (Header header : record.headers()) {
          line.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        line.put("value", record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
        spec.commandLine().getOut().println(new String(json.encode(line), StandardCharsets.UTF_8));
      }
    } else {
      replay(kafka, deadLetters);
    }
  }

  private void replay(KafkaSettings kafka, List<ConsumerRecord<byte[], byte[]>> deadLetters) {
    String taskTopic = connection.namespace().taskTopic(connection.queue());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(Map.of("acks", "all", "enable.idempotence", true)), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ConsumerRecord<byte[], byte[]> record : deadLetters) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
          if (!header.key().startsWith("taskpool.error.") && !header.key().startsWith("taskpool.original.") && !header.key().equals(WireHeaders.ATTEMPTS) && !header.key().equals(WireHeaders.WORKER)) {
            headers.add(header);
          }
        }
        producer.send(new ProducerRecord<>(taskTopic, null, record.key(), record.value(), headers));
      }
      producer.flush();
    }
    spec.commandLine().getOut().println("replayed " + deadLetters.size() + " task(s) to " + taskTopic);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaSettings kafka, TopicPartition partition) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.clientConfig(Map.of("enable.auto.commit", false)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
