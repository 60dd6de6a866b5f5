package io.taskpool.core;

import java.util.Set;

/**
 * The environment variables taskpool's processes read, named once so code, deploy recipes and the
 * test that keeps them in step agree.
 */
public final class EnvironmentVariables {
  /** Kafka bootstrap servers. */
  public static final String KAFKA_BOOTSTRAP = "TASKPOOL_KAFKA_BOOTSTRAP";

  /** {@code redis://} or {@code rediss://} URL. */
  public static final String REDIS_URL = "TASKPOOL_REDIS_URL";

  /** PKCS12 or JKS file of the CAs a {@code rediss://} server's certificate may chain to. */
  public static final String REDIS_TRUSTSTORE = "TASKPOOL_REDIS_TRUSTSTORE";

  /** The password of {@link #REDIS_TRUSTSTORE}: read from the environment only, never a flag. */
  public static final String REDIS_TRUSTSTORE_PASSWORD = "TASKPOOL_REDIS_TRUSTSTORE_PASSWORD";

  /** Namespace of topics, groups and keys. */
  public static final String NAMESPACE = "TASKPOOL_NAMESPACE";

  /** Task queue a worker serves or a client submits to. */
  public static final String QUEUE = "TASKPOOL_QUEUE";

  /**
   * The user's task jars or directories of jars, separated as a class path (workers, coordinators).
   */
  public static final String TASKS = "TASKPOOL_TASKS";

  /**
   * The coordinator's status port when {@code --status-port} is not given (an environment file sets
   * it).
   */
  public static final String STATUS_PORT = "TASKPOOL_STATUS_PORT";

  /** {@code false} keeps the test kit from trying Docker. */
  public static final String TESTKIT_DOCKER = "TASKPOOL_TESTKIT_DOCKER";

  /** Every name above. */
  public static final Set<String> ALL =
      Set.of(
          KAFKA_BOOTSTRAP,
          REDIS_URL,
          REDIS_TRUSTSTORE,
          REDIS_TRUSTSTORE_PASSWORD,
          NAMESPACE,
          QUEUE,
          TASKS,
          STATUS_PORT,
          TESTKIT_DOCKER);

  private EnvironmentVariables() {}
}
