package io.taskpool.cli;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.kafka.TopicAdmin;
import io.taskpool.core.wire.ReplyAddress;
import io.taskpool.core.wire.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The dead-letter topic. {@code list} prints one JSON line per dead letter with its error headers.
 * {@code replay} puts dead letters back on the task topic without their error headers, each once:
 * how far it got is committed in a consumer group of its own ({@link
 * Namespace#deadLetterReplayGroup}), so the next replay starts after it. Named ones ({@code --id},
 * {@code --offset}) are replayed as asked, again if need be, without moving that mark. A reply
 * address whose topic is gone (its client closed) is dropped, so the replayed task runs without
 * waiting on a dead reply topic; undelivered replies and references to oversized tasks are not
 * tasks and are skipped.
 */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description =
        "The queue's dead letters: tasks that failed for good, with their error, and replies that"
            + " could not be delivered.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  taskpool dlq list --queue emails",
      "  taskpool dlq replay --queue emails    (those not replayed yet)",
      "  taskpool dlq replay --since 1h --limit 100",
      "  taskpool dlq replay --offset 17 --id client-1-42"
    })
final class DlqCommand implements Runnable {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ACTION",
      description =
          "list (print each dead letter as a JSON line with its error headers) or replay (put the"
              + " dead letters not replayed yet, or those named, back on the task topic without"
              + " their error headers)")
  Action action;

  @Option(
      names = "--id",
      paramLabel = "TASK-ID",
      description = "only the dead letter of this task id; repeatable")
  List<String> ids = new ArrayList<>();

  @Option(
      names = "--offset",
      paramLabel = "N",
      description = "only the dead letter at this offset of the dead-letter topic; repeatable")
  List<Long> offsets = new ArrayList<>();

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "only dead letters written within this long, e.g. 1h; default: all")
  Duration since;

  @Option(names = "--limit", paramLabel = "N", description = "at most N dead letters; default: all")
  Integer limit;

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
        spec.commandLine()
            .getErr()
            .println("taskpool: no dead-letter topic " + topic + " yet: nothing was dead-lettered");
        return;
      }
      if (action == Action.list) {
        list(kafka, topic);
      } else {
        replay(kafka, admin, topic);
      }
    }
  }

  private void list(KafkaSettings kafka, String topic) {
    JsonCodec json = new JsonCodec();
    for (ConsumerRecord<byte[], byte[]> record :
        selected(read(kafka, new TopicPartition(topic, 0), null))) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("offset", record.offset());
      for (Header header : record.headers()) {
        line.put(
            header.key(),
            header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
      }
      line.put(
          "value",
          record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
      spec.commandLine().getOut().println(new String(json.encode(line), StandardCharsets.UTF_8));
    }
  }

  private void replay(KafkaSettings kafka, TopicAdmin admin, String topic) {
    TopicPartition partition = new TopicPartition(topic, 0);
    boolean named = !ids.isEmpty() || !offsets.isEmpty();
    String group = connection.namespace().deadLetterReplayGroup(connection.queue());
    List<ConsumerRecord<byte[], byte[]>> chosen =
        selected(read(kafka, partition, named ? null : group));
    String taskTopic = connection.namespace().taskTopic(connection.queue());
    Map<String, Boolean> topicExists = new HashMap<>();
    int replayed = 0;
    int notTasks = 0;
    int staleReplyTo = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            kafka.clientConfig(Map.of("acks", "all", "enable.idempotence", true)),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (ConsumerRecord<byte[], byte[]> record : chosen) {
        if (WireHeaders.read(record.headers(), WireHeaders.DEAD_LETTER_KIND) != null) {
          notTasks++;
          continue;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
          if (header.key().equals(WireHeaders.REPLY_TO)
              && !replyTopicExists(
                  admin, topicExists, new String(header.value(), StandardCharsets.UTF_8))) {
            staleReplyTo++;
          } else if (!header.key().startsWith("taskpool.error.")
              && !header.key().startsWith("taskpool.original.")
              && !header.key().equals(WireHeaders.ATTEMPTS)
              && !header.key().equals(WireHeaders.WORKER)) {
            headers.add(header);
          }
        }
        producer.send(new ProducerRecord<>(taskTopic, null, record.key(), record.value(), headers));
        replayed++;
      }
      producer.flush();
    }
    if (!named && !chosen.isEmpty()) {
      commit(kafka, group, partition, chosen.get(chosen.size() - 1).offset() + 1);
    }
    StringBuilder line = new StringBuilder("replayed " + replayed + " task(s) to " + taskTopic);
    List<String> notes = new ArrayList<>();
    if (notTasks > 0) {
      notes.add(
          "skipped " + notTasks + " undelivered repl(ies) or reference(s), which are not tasks");
    }
    if (staleReplyTo > 0) {
      notes.add("dropped " + staleReplyTo + " reply address(es) whose topic is gone");
    }
    if (!notes.isEmpty()) {
      line.append(" (").append(String.join("; ", notes)).append(')');
    }
    spec.commandLine().getOut().println(line);
  }

  /** The records the options select, in offset order. */
  private List<ConsumerRecord<byte[], byte[]>> selected(
      List<ConsumerRecord<byte[], byte[]>> records) {
    long oldest = since == null ? Long.MIN_VALUE : System.currentTimeMillis() - since.toMillis();
    Set<String> wantedIds = Set.copyOf(ids);
    Set<Long> wantedOffsets = Set.copyOf(offsets);
    List<ConsumerRecord<byte[], byte[]>> chosen = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      String id = WireHeaders.read(record.headers(), WireHeaders.ID);
      boolean named =
          (id != null && wantedIds.contains(id)) || wantedOffsets.contains(record.offset());
      if ((wantedIds.isEmpty() && wantedOffsets.isEmpty()) || named) {
        if (record.timestamp() >= oldest) {
          chosen.add(record);
        }
      }
      if (limit != null && chosen.size() >= limit) {
        break;
      }
    }
    return chosen;
  }

  private static boolean replyTopicExists(
      TopicAdmin admin, Map<String, Boolean> known, String replyTo) {
    try {
      String topic = ReplyAddress.parse(replyTo).topic();
      return known.computeIfAbsent(topic, t -> admin.partitionCount(t).isPresent());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The partition from {@code group}'s committed offset (the beginning without a group) to its end.
   */
  private static List<ConsumerRecord<byte[], byte[]>> read(
      KafkaSettings kafka, TopicPartition partition, String group) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<String, Object> overrides = new HashMap<>(Map.of("enable.auto.commit", false));
    if (group != null) {
      overrides.put("group.id", group);
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(overrides),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      OffsetAndMetadata mark =
          group == null ? null : consumer.committed(Set.of(partition)).get(partition);
      if (mark == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, mark.offset());
      }
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  private static void commit(
      KafkaSettings kafka, String group, TopicPartition partition, long next) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(Map.of("enable.auto.commit", false, "group.id", group)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next, "taskpool dlq replay")));
    }
  }
}
