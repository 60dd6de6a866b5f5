package io.taskpool.testkit;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.testkit.internal.ContainerServices;
import io.taskpool.testkit.internal.EmbeddedKafkaBroker;
import io.taskpool.testkit.internal.ExternalService;
import io.taskpool.testkit.internal.KafkaBrokerProcess;
import io.taskpool.testkit.internal.RedisServerProcess;
import io.taskpool.testkit.internal.ReplicatedKafkaCluster;
import io.taskpool.testkit.internal.Service;
import io.taskpool.testkit.internal.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker and a real Redis for tests, the demo and the benchmarks, found in this order:
 * {@code TASKPOOL_KAFKA_BOOTSTRAP} / {@code TASKPOOL_REDIS_URL} if set; Testcontainers if a Docker
 * engine runs; else an in-process KRaft broker and a {@code redis-server} child process on free
 * ports. Never a mock. Closing it stops what it started (a JVM shutdown hook does too).
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start(Path.of("target"))) {
 *   String bootstrap = cluster.kafkaBootstrap();
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  private final Service kafka;
  private final Service redis;
  private final ClusterSecurity security;
  private final TestCertificates certificates;
  private final Thread cleanupHook;

  private LocalCluster(Service kafka, Service redis) {
    this(kafka, redis, null, null);
  }

  private LocalCluster(
      Service kafka, Service redis, ClusterSecurity security, TestCertificates certificates) {
    this.kafka = kafka;
    this.redis = redis;
    this.security = security;
    this.certificates = certificates;
    this.cleanupHook = new Thread(this::stopServices, "taskpool-local-cluster-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupHook);
    log.info("Kafka: {}; Redis: {}", kafka.describe(), redis.describe());
  }

  /** Starts (or finds) both services; embedded ones keep their files under {@code workDir}. */
  public static LocalCluster start(Path workDir) {
    return start(workDir, System.getenv());
  }

  /**
   * Starts services of its own, whatever {@code TASKPOOL_KAFKA_BOOTSTRAP} and {@code
   * TASKPOOL_REDIS_URL} say.
   */
  public static LocalCluster startOwn(Path workDir) {
    return start(workDir, Map.of());
  }

  static LocalCluster start(Path workDir, Map<String, String> env) {
    String kafkaAddress = env.get(EnvironmentVariables.KAFKA_BOOTSTRAP);
    String redisAddress = env.get(EnvironmentVariables.REDIS_URL);
    boolean needDocker = isBlank(kafkaAddress) || isBlank(redisAddress);
    boolean docker =
        needDocker
            && !"false".equals(env.get(EnvironmentVariables.TESTKIT_DOCKER))
            && ContainerServices.dockerAvailable();
    Service kafka =
        !isBlank(kafkaAddress)
            ? new ExternalService(kafkaAddress, "Kafka")
            : docker ? ContainerServices.kafka() : new EmbeddedKafkaBroker(workDir);
    Service redis;
    try {
      redis =
          !isBlank(redisAddress)
              ? new ExternalService(redisAddress, "Redis")
              : docker ? ContainerServices.redis() : new RedisServerProcess(workDir);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    return new LocalCluster(kafka, redis);
  }

  /**
   * The Kafka a test cluster runs: the build's own release in this JVM, or an older line as a child
   * process.
   */
  public enum KafkaRelease {
    /** The build's Kafka (4.x) in-process, or what the environment or Docker provides. */
    BUILD(null),
    /**
     * The newest 3.9 (KRaft, no share groups, no KIP-848), from {@code
     * compat/kafka-3.9/target/lib}.
     */
    V3_9("3.9");

    private final String line;

    KafkaRelease(String line) {
      this.line = line;
    }

    /**
     * The server jars, built by the {@code compat/kafka-<line>} module; found from the working
     * directory up.
     */
    public Path libDir() {
      String configured = System.getProperty("taskpool.kafka-" + line + ".lib");
      if (configured != null) {
        return Path.of(configured);
      }
      Path relative = Path.of("compat", "kafka-" + line, "target", "lib");
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        if (Files.isDirectory(dir.resolve(relative))) {
          return dir.resolve(relative);
        }
      }
      return relative;
    }
  }

  /** The Redis a test cluster runs. */
  public enum RedisRelease {
    /**
     * {@code redis-server} from PATH (Debian's 7.x here), else the binary embedded-redis ships; or
     * the environment's.
     */
    SYSTEM,
    /** The Redis 6.2 binary shipped inside {@code embedded-redis}, whatever PATH holds. */
    V6_2
  }

  /**
   * A cluster of the given releases; anything but {@code BUILD} / {@code SYSTEM} starts here as a
   * process of its own, whatever the environment says, so a compatibility test runs what it names.
   */
  public static LocalCluster start(
      Path workDir, KafkaRelease kafkaRelease, RedisRelease redisRelease) {
    return start(workDir, kafkaRelease, redisRelease, 1);
  }

  /**
   * As {@link #start(Path, KafkaRelease, RedisRelease)}, with {@code brokers} Kafka nodes: more
   * than one starts a replicated KRaft cluster of processes (3 replicas, {@code
   * min.insync.replicas=2}) whose nodes tests kill and restart through {@link #kafkaNodes()}.
   */
  public static LocalCluster start(
      Path workDir, KafkaRelease kafkaRelease, RedisRelease redisRelease, int brokers) {
    if (kafkaRelease == KafkaRelease.BUILD && redisRelease == RedisRelease.SYSTEM && brokers == 1) {
      return start(workDir);
    }
    Service kafka;
    if (brokers > 1) {
      String classPath =
          kafkaRelease == KafkaRelease.BUILD
              ? JvmProcess.currentClassPath()
              : kafkaRelease.libDir().toAbsolutePath() + "/*";
      kafka = new ReplicatedKafkaCluster(brokers, classPath, workDir);
    } else {
      kafka =
          kafkaRelease == KafkaRelease.BUILD
              ? new EmbeddedKafkaBroker(workDir)
              : KafkaBrokerProcess.singleNode(kafkaRelease.line, kafkaRelease.libDir(), workDir);
    }
    try {
      return new LocalCluster(
          kafka,
          redisRelease == RedisRelease.V6_2
              ? RedisServerProcess.shipped(workDir)
              : new RedisServerProcess(workDir));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /**
   * A secured cluster: Kafka over SASL_SSL (SCRAM-SHA-512) with ACLs enforced, Redis over TLS with
   * ACL users only, certificates from a throw-away CA. {@link #kafkaBootstrap()} and {@link
   * #redisUrl()} are then the test kit's own super-user addresses (plaintext loopback listener;
   * Redis without credentials); users, ACLs and their settings come from {@link #security()}.
   */
  public static LocalCluster startSecured(Path workDir) {
    TestCertificates certificates = TestCertificates.generate(workDir);
    String redisAdminPassword = UUID.randomUUID().toString();
    EmbeddedKafkaBroker kafka = null;
    try {
      kafka = EmbeddedKafkaBroker.secured(workDir, certificates);
      RedisServerProcess redis =
          RedisServerProcess.secured(workDir, certificates, redisAdminPassword);
      ClusterSecurity security =
          new ClusterSecurity(
              kafka.clientBootstrap(),
              kafka.adminBootstrap(),
              RedisSettings.fromUrl(redis.address()).address().orElseThrow(),
              redisAdminPassword,
              certificates);
      return new LocalCluster(kafka, redis, security, certificates);
    } catch (RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      }
      certificates.delete();
      throw e;
    }
  }

  /** Users, ACLs and TLS settings of a cluster from {@link #startSecured}. */
  public ClusterSecurity security() {
    if (security == null) {
      throw new IllegalStateException(
          "this cluster is not secured: use @ClusterSpec(secured = true)");
    }
    return security;
  }

  /**
   * The Kafka nodes, when this cluster started them as processes ({@code @ClusterSpec(brokers = 3)}
   * or another release); an in-process or external broker cannot be killed from a test.
   */
  public List<KafkaNode> kafkaNodes() {
    if (kafka instanceof ReplicatedKafkaCluster replicated) {
      return replicated.nodes();
    }
    if (kafka instanceof KafkaNode node) {
      return List.of(node);
    }
    throw new IllegalStateException(
        "this cluster's Kafka ("
            + kafka.describe()
            + ") runs in-process or outside: use @ClusterSpec(brokers = 3) for nodes a test can"
            + " kill");
  }

  /**
   * Starts stopped nodes together (a controller quorum needs most of them) and waits until each
   * serves.
   */
  public void startKafkaNodes(List<KafkaNode> nodes) {
    if (kafka instanceof ReplicatedKafkaCluster replicated) {
      replicated.startAll(nodes);
    } else {
      nodes.forEach(KafkaNode::start);
    }
  }

  /** The node that leads {@code topic}'s {@code partition} now. */
  public KafkaNode kafkaLeaderOf(String topic, int partition) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
      int leader =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .get(partition)
              .leader()
              .id();
      return kafkaNodes().stream().filter(n -> n.id() == leader).findFirst().orElseThrow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot find the leader of " + topic + "-" + partition, e);
    }
  }

  /**
   * An embedded broker and Redis on fixed ports that other hosts reach as {@code host} (for
   * deploy/local and the multi-host how-to; development use: no auth).
   */
  public static LocalCluster startEmbedded(
      Path workDir, String host, int kafkaPort, int redisPort) {
    return startEmbedded(workDir, host, kafkaPort, host, redisPort);
  }

  /**
   * The development cluster of {@code taskpool cluster}: as {@link #startEmbedded(Path, String,
   * int, int)}, with a broker that creates topics on first use, as Kafka does by default (so a raw
   * client's reply topic, say, needs no tool to create it).
   */
  public static LocalCluster startDevelopment(
      Path workDir, String host, int kafkaPort, int redisPort) {
    Service kafka = new EmbeddedKafkaBroker(workDir, host, kafkaPort, true);
    try {
      return new LocalCluster(kafka, new RedisServerProcess(workDir, host, redisPort));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /**
   * As {@link #startEmbedded(Path, String, int, int)}, Kafka and Redis on addresses of their own (a
   * test can cut a host off one of them).
   */
  public static LocalCluster startEmbedded(
      Path workDir, String kafkaHost, int kafkaPort, String redisHost, int redisPort) {
    Service kafka = new EmbeddedKafkaBroker(workDir, kafkaHost, kafkaPort);
    try {
      return new LocalCluster(kafka, new RedisServerProcess(workDir, redisHost, redisPort));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  public String kafkaBootstrap() {
    return kafka.address();
  }

  public KafkaSettings kafkaSettings() {
    return KafkaSettings.of(kafka.address());
  }

  /** {@code redis://host:port}. */
  public String redisUrl() {
    return redis.address();
  }

  /** A fresh namespace, so a test's topics, groups and keys are its own on a shared cluster. */
  public static String uniqueNamespace(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public String describe() {
    return "Kafka: " + kafka.describe() + "; Redis: " + redis.describe();
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway.
    }
    stopServices();
  }

  private synchronized void stopServices() {
    try {
      redis.close();
    } finally {
      kafka.close();
      if (certificates != null) {
        certificates.delete();
      }
    }
  }
}
