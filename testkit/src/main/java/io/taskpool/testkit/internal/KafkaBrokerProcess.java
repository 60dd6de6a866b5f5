package io.taskpool.testkit.internal;

import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.KafkaNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A real KRaft broker (broker and controller) in a JVM of its own: how the test kit runs a Kafka
 * release other than the build's own (two releases' server jars cannot share a class path), and
 * brokers it can SIGKILL, SIGSTOP and restart. Storage is formatted by {@code
 * kafka.tools.StorageTool}, the broker runs {@code kafka.Kafka}; its output goes to {@code
 * broker.log} in its data dir, deleted on close.
 */
public final class KafkaBrokerProcess implements Service, KafkaNode {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final List<String> JVM_OPTIONS =
      List.of("-Xms128m", "-Xmx768m", "-XX:+UseSerialGC", "-Djava.awt.headless=true");

  private final String label;
  private final int nodeId;
  private final String classPath;
  private final Path dataDir;
  private final Path configFile;
  private final String address;
  private JvmProcess process;

  private KafkaBrokerProcess(
      String label, int nodeId, String classPath, Path dataDir, int brokerPort) {
    this.label = label;
    this.nodeId = nodeId;
    this.classPath = classPath;
    this.dataDir = dataDir;
    this.configFile = dataDir.resolve("server.properties");
    this.address = "127.0.0.1:" + brokerPort;
  }

  /** Formats and starts a single-node broker of {@code release} from the jars in {@code libDir}. */
  public static KafkaBrokerProcess singleNode(String release, Path libDir, Path parentDir) {
    if (!Files.isDirectory(libDir)) {
      throw new IllegalStateException(
          "the Kafka "
              + release
              + " server jars are not in "
              + libDir.toAbsolutePath()
              + ": build them with ./mvnw -pl compat/kafka-"
              + release
              + " package");
    }
    int brokerPort = FreePorts.next();
    Path dataDir = createDataDir(parentDir, "kafka-" + release + "-");
    KafkaBrokerProcess broker =
        new KafkaBrokerProcess(
            "Kafka " + release + " broker", 1, libDir.toAbsolutePath() + "/*", dataDir, brokerPort);
    broker.writeConfig(
        BrokerConfigs.singleNode("127.0.0.1", "127.0.0.1", brokerPort, FreePorts.next(), dataDir));
    broker.format(clusterId(), true);
    broker.start();
    return broker;
  }

  /**
   * A formatted, not yet started node {@code nodeId} of a replicated cluster (see {@link
   * ReplicatedKafkaCluster}).
   */
  static KafkaBrokerProcess clusterNode(
      int nodeId,
      String classPath,
      Path dataDir,
      int brokerPort,
      Properties config,
      String clusterId) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dataDir, e);
    }
    KafkaBrokerProcess node =
        new KafkaBrokerProcess("Kafka node " + nodeId, nodeId, classPath, dataDir, brokerPort);
    node.writeConfig(config);
    node.format(clusterId, false);
    return node;
  }

  static Path createDataDir(Path parentDir, String prefix) {
    try {
      Files.createDirectories(parentDir);
      return Files.createTempDirectory(parentDir, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a broker's log dir under " + parentDir, e);
    }
  }

  private void writeConfig(Properties config) {
    try {
      Files.writeString(
          dataDir.resolve("log4j.properties"),
          "log4j.rootLogger=WARN, stdout\n"
              + "log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n"
              + "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n"
              + "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n");
      try (OutputStream out = Files.newOutputStream(configFile)) {
        config.store(out, "taskpool test broker: " + label);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void format(String clusterId, boolean standalone) {
    List<String> args =
        new ArrayList<>(List.of("format", "-t", clusterId, "-c", configFile.toString()));
    if (standalone) {
      args.add(1, "--standalone");
    }
    JvmProcess formatter =
        JvmProcess.startWithClassPath(
            classPath,
            "kafka.tools.StorageTool",
            jvmOptions(),
            args,
            dataDir.resolve("format.log"));
    int status = formatter.waitFor(STARTUP_TIMEOUT);
    if (status != 0) {
      formatter.close();
      throw new IllegalStateException(
          "formatting the storage of " + label + " failed (" + status + "): " + formatter.output());
    }
  }

  /** A KRaft cluster id: a base64url UUID of 22 characters. */
  static String clusterId() {
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes =
        ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  private List<String> jvmOptions() {
    List<String> options = new ArrayList<>(JVM_OPTIONS);
    options.add("-Dlog4j.configuration=file:" + dataDir.resolve("log4j.properties"));
    return options;
  }

  /** Starts the process without waiting (a cluster's nodes must all run before any can serve). */
  synchronized void launch() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(label + " is running already");
    }
    process =
        JvmProcess.startWithClassPath(
            classPath,
            "kafka.Kafka",
            jvmOptions(),
            List.of(configFile.toString()),
            dataDir.resolve("broker.log"));
  }

  /** Waits until this node serves metadata listing at least {@code nodes} brokers. */
  void awaitReady(int nodes) {
    JvmProcess started;
    synchronized (this) {
      started = process;
    }
    BrokerReadiness.await(
        address,
        nodes,
        STARTUP_TIMEOUT,
        started::isAlive,
        () -> label + " (log: " + started.log() + ")");
  }

  @Override
  public int id() {
    return nodeId;
  }

  @Override
  public void start() {
    launch();
    awaitReady(1);
  }

  @Override
  public synchronized void kill() {
    process.kill();
  }

  @Override
  public synchronized void stop() {
    process.signal("CONT");
    process.stop(Duration.ofSeconds(60));
  }

  @Override
  public synchronized void pause() {
    process.signal("STOP");
  }

  @Override
  public synchronized void resume() {
    process.signal("CONT");
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public String describe() {
    return label
        + " process (pid "
        + (process == null ? "-" : process.pid())
        + ") at "
        + address
        + " ("
        + dataDir
        + ")";
  }

  /** SIGKILLs the process if it runs: for a broker whose data goes anyway. */
  synchronized void discard() {
    if (process != null && process.isAlive()) {
      process.kill();
    }
  }

  @Override
  public void close() {
    try {
      discard();
    } finally {
      EmbeddedKafkaBroker.deleteRecursively(dataDir);
    }
  }
}
