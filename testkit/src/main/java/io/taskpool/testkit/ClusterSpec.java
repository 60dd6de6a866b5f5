package io.taskpool.testkit;

import io.taskpool.testkit.LocalCluster.KafkaRelease;
import io.taskpool.testkit.LocalCluster.RedisRelease;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which releases {@link LocalClusterExtension} gives a test class: put it on a subclass of an
 * ordinary integration test to run the same tests against another Kafka or Redis. Classes with the
 * same spec share one cluster per test run.
 *
 * <pre>{@code
 * @ClusterSpec(kafka = KafkaRelease.V3_9)
 * class PoisonRecordOnKafka39IT extends PoisonRecordIT {}
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface ClusterSpec {
  KafkaRelease kafka() default KafkaRelease.BUILD;

  RedisRelease redis() default RedisRelease.SYSTEM;

  /**
   * Kafka nodes: more than one starts a replicated cluster of processes (see {@link
   * LocalCluster#kafkaNodes()}).
   */
  int brokers() default 1;

  /**
   * SASL_SSL + ACLs on Kafka, TLS + ACL users on Redis (see {@link LocalCluster#startSecured}); the
   * build's releases.
   */
  boolean secured() default false;
}
