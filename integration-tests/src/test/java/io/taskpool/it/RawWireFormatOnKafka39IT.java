package io.taskpool.it;

import io.taskpool.testkit.ClusterSpec;
import io.taskpool.testkit.LocalCluster.KafkaRelease;
import io.taskpool.testkit.LocalCluster.RedisRelease;

/**
 * {@link RawWireFormatIT} against a Kafka 3.9 broker (a child process): the compatibility suite.
 */
@ClusterSpec(kafka = KafkaRelease.V3_9, redis = RedisRelease.V6_2)
class RawWireFormatOnKafka39IT extends RawWireFormatIT {}
