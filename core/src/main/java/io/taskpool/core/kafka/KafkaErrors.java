package io.taskpool.core.kafka;

import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** One-line explanations of Kafka errors, naming the topic and, for ACL refusals, what to grant. */
public final class KafkaErrors {
  private KafkaErrors() {}

  /**
   * Why a record could not be written to {@code topic}. An idempotent producer (taskpool's are)
   * without WRITE on any topic is refused with a bare "Cluster authorization failed", which names
   * no topic: this says which one and which ACL is missing.
   */
  public static String sendFailure(String topic, Throwable error) {
    // A producer refused once is in an error state: later sends fail with that as their cause.
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof TopicAuthorizationException
          || cause instanceof ClusterAuthorizationException) {
        return "not authorized to write to topic "
            + topic
            + ": grant this Kafka user WRITE and DESCRIBE on it (Kafka said: "
            + cause.getMessage()
            + ")";
      }
    }
    if (meansMissingTopic(error)) {
      return "topic "
          + topic
          + " does not exist (and the brokers do not create topics on first use): create it first"
          + " (Kafka said: "
          + error.getMessage()
          + ")";
    }
    return "Kafka did not accept the record for " + topic + ": " + error.getMessage();
  }

  /**
   * True for what a send to a topic the brokers do not have ends with: the producer waits for its
   * metadata until {@code max.block.ms} and gives up with a timeout naming it.
   */
  public static boolean meansMissingTopic(Throwable error) {
    return error instanceof UnknownTopicOrPartitionException
        || (error instanceof TimeoutException
            && String.valueOf(error.getMessage()).contains("not present in metadata"));
  }
}
