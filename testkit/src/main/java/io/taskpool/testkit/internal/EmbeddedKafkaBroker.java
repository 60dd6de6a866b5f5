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
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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

  public EmbeddedKafkaBroker(Path parentDir) {
    this(parentDir, "127.0.0.1", FreePorts.next());
  }

  /**
   * A broker on {@code brokerPort} that clients reach as {@code advertisedHost}; it listens on all
   * interfaces unless that host is the loopback address.
   */
  public EmbeddedKafkaBroker(Path parentDir, String advertisedHost, int brokerPort) {
    try {
      Files.createDirectories(parentDir);
      this.dataDir = Files.createTempDirectory(parentDir, "kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's log dir under " + parentDir, e);
    }
    int controllerPort = FreePorts.next();
    this.bootstrapServers = advertisedHost + ":" + brokerPort;
    String listenHost = "127.0.0.1".equals(advertisedHost) || "localhost".equals(advertisedHost) ? "127.0.0.1" : "0.0.0.0";
    Properties config = brokerConfig(listenHost, advertisedHost, brokerPort, controllerPort);
    format(config);
    this.server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
    server.startup();
    awaitReady();
  }

  private Properties brokerConfig(String listenHost, String advertisedHost, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("listeners", "PLAINTEXT://" + listenHost + ":" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + advertisedHost + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "2");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "2");
    // Share groups: let tests set record locks of a second or two (the broker's floor is 15 s).
    p.put("group.share.min.record.lock.duration.ms", "1000");
    // ...and notice a killed share consumer within seconds rather than the default 45 s.
    p.put("group.share.min.session.timeout.ms", "3000");
    p.put("group.share.session.timeout.ms", "6000");
    p.put("group.share.min.heartbeat.interval.ms", "500");
    p.put("group.share.heartbeat.interval.ms", "1000");
    // Without this every first group join waits 3 s.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created explicitly: a reply to a closed client must not resurrect its topic.
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    return p;
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
      status = StorageTool.execute(new String[] {"format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", file.toString()}, print);
    }
    if (status != 0) {
      throw new IllegalStateException("formatting the broker's storage failed (" + status + "): " + output.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get().isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("embedded Kafka broker not ready after " + STARTUP_TIMEOUT, notYet);
          }
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Kafka", e);
    }
  }

  @Override
  public String address() {
    return bootstrapServers;
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
