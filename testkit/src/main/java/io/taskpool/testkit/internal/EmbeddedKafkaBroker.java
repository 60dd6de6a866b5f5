package io.taskpool.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) in this JVM, from the
 * Kafka server jars: storage formatted by {@code StorageTool}, served by {@code KafkaRaftServer},
 * on OS-chosen loopback ports, with its log dir deleted on close.
 */
public final class EmbeddedKafkaBroker implements Service {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private final Path dataDir;
  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final String adminBootstrap;

  public EmbeddedKafkaBroker(Path parentDir) {
    this(parentDir, "127.0.0.1", FreePorts.next());
  }

  /**
   * A broker on {@code brokerPort} that clients reach as {@code advertisedHost}; it listens on all
   * interfaces unless that host is the loopback address.
   */
  public EmbeddedKafkaBroker(Path parentDir, String advertisedHost, int brokerPort) {
    this(parentDir, advertisedHost, brokerPort, false);
  }

  /**
   * As {@link #EmbeddedKafkaBroker(Path, String, int)}; {@code createTopicsOnFirstUse} turns on
   * Kafka's {@code auto.create.topics.enable} (its own default, off in every test broker).
   */
  public EmbeddedKafkaBroker(
      Path parentDir, String advertisedHost, int brokerPort, boolean createTopicsOnFirstUse) {
    this.dataDir = KafkaBrokerProcess.createDataDir(parentDir, "kafka-");
    this.bootstrapServers = advertisedHost + ":" + brokerPort;
    this.adminBootstrap = bootstrapServers;
    String listenHost =
        "127.0.0.1".equals(advertisedHost) || "localhost".equals(advertisedHost)
            ? "127.0.0.1"
            : "0.0.0.0";
    Properties config =
        BrokerConfigs.singleNode(listenHost, advertisedHost, brokerPort, FreePorts.next(), dataDir);
    config.put("auto.create.topics.enable", String.valueOf(createTopicsOnFirstUse));
    this.server = startServer(config);
  }

  /**
   * A broker whose clients connect over SASL_SSL (SCRAM-SHA-512, the certificate of {@code certs})
   * with ACLs enforced, nothing allowed unless granted; a second, plaintext listener on loopback
   * serves the test kit as super user, to create users and ACLs ({@link #adminBootstrap()}).
   */
  public static EmbeddedKafkaBroker secured(Path parentDir, TestCertificates certs) {
    return new EmbeddedKafkaBroker(
        KafkaBrokerProcess.createDataDir(parentDir, "kafka-secured-"), certs);
  }

  private EmbeddedKafkaBroker(Path dataDir, TestCertificates certs) {
    this.dataDir = dataDir;
    int securePort = FreePorts.next();
    int internalPort = FreePorts.next();
    this.bootstrapServers = "localhost:" + securePort;
    this.adminBootstrap = "127.0.0.1:" + internalPort;
    this.server =
        startServer(
            BrokerConfigs.secured(securePort, internalPort, FreePorts.next(), dataDir, certs));
  }

  private KafkaRaftServer startServer(Properties config) {
    format(config);
    KafkaRaftServer started =
        new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
    started.startup();
    BrokerReadiness.await(
        adminBootstrap, 1, STARTUP_TIMEOUT, () -> true, () -> "embedded Kafka broker");
    return started;
  }

  /** Where the test kit reaches the broker as super user (the plaintext loopback listener). */
  public String adminBootstrap() {
    return adminBootstrap;
  }

  /** Where clients connect: the SASL_SSL listener of a secured broker, else the only one. */
  public String clientBootstrap() {
    return bootstrapServers;
  }

  private void format(Properties config) {
    Path file = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      config.store(out, "taskpool embedded broker");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status =
          StorageTool.execute(
              new String[] {
                "format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", file.toString()
              },
              print);
    }
    if (status != 0) {
      throw new IllegalStateException(
          "formatting the broker's storage failed ("
              + status
              + "): "
              + output.toString(StandardCharsets.UTF_8));
    }
  }

  /** The test kit's address: on a secured broker its super-user plaintext listener on loopback. */
  @Override
  public String address() {
    return adminBootstrap;
  }

  @Override
  public String describe() {
    return "embedded KRaft broker at " + bootstrapServers + " (" + dataDir + ")";
  }

  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      deleteRecursively(dataDir);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Best effort: it lives under the build folder anyway.
    }
  }
}
