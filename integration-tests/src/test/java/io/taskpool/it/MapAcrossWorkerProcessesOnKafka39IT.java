package io.taskpool.it;

import io.taskpool.testkit.ClusterSpec;
import io.taskpool.testkit.LocalCluster.KafkaRelease;
import io.taskpool.testkit.LocalCluster.RedisRelease;
import org.junit.jupiter.api.Tag;

/**
 * {@link MapAcrossWorkerProcessesIT} against a Kafka 3.9 broker (a child process): the
 * compatibility suite, in the {@code matrix} group (run by {@code -Ptopology} and CI, not by the
 * plain verify).
 */
@Tag("matrix")
@ClusterSpec(kafka = KafkaRelease.V3_9, redis = RedisRelease.V6_2)
class MapAcrossWorkerProcessesOnKafka39IT extends MapAcrossWorkerProcessesIT {}
