package io.taskpool.testkit.internal;

import io.taskpool.testkit.JvmProcess;
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
 * A real single-node KRaft broker in a JVM of its own, from a directory of Kafka server jars: how
 * the test kit runs a Kafka release other than the build's own (two releases' server jars cannot
 * share a class path). Storage is formatted by {@code kafka.tools.StorageTool}, the broker runs
 * {@code kafka.Kafka}; its output goes to {@code broker.log} in its data dir, deleted on close.
 */
public final class KafkaBrokerProcess implements Service {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx768m", "-XX:+UseSerialGC", "-Djava.awt.headless=true");

  private final String release;
  private final String classPath;
  private final Path dataDir;
  private final Path configFile;
  private final String bootstrapServers;
  private JvmProcess process;

  /** Formats and starts a broker of {@code release} (a label for logs) from the jars in {@code libDir}. */
  public KafkaBrokerProcess(String release, Path libDir, Path parentDir) {
    if (!Files.isDirectory(libDir)) {
      throw new IllegalStateException("the Kafka " + release + " server jars are not in " + libDir.toAbsolutePath() + ": build them with ./mvnw -pl compat/kafka-" + release + " package");
    }
    this.release = release;
    this.classPath = libDir.toAbsolutePath() + "/*";
    try {
      Files.createDirectories(parentDir);
      this.dataDir = Files.createTempDirectory(parentDir, "kafka-" + release + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's log dir under " + parentDir, e);
    }
    int brokerPort = FreePorts.next();
    this.bootstrapServers = "127.0.0.1:" + brokerPort;
    this.configFile = dataDir.resolve("server.properties");
    writeConfig(BrokerConfigs.singleNode("127.0.0.1", "127.0.0.1", brokerPort, FreePorts.next(), dataDir));
    format();
    start();
  }

  private void writeConfig(Properties config) {
    try {
      Files.writeString(dataDir.resolve("log4j.properties"), "log4j.rootLogger=WARN, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\nlog4j.appender.stdout.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\nlog4j.logger.kafka.server.KafkaServer=INFO\nlog4j.logger.kafka.server.BrokerServer=INFO\n");
      try (OutputStream out = Files.newOutputStream(configFile)) {
        config.store(out, "taskpool test broker, Kafka " + release);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void format() {
    JvmProcess formatter = JvmProcess.startWithClassPath(classPath, "kafka.tools.StorageTool", jvmOptions(), List.of("format", "--standalone", "-t", clusterId(), "-c", configFile.toString()), dataDir.resolve("format.log"));
    int status = formatter.waitFor(STARTUP_TIMEOUT);
    if (status != 0) {
      formatter.close();
      throw new IllegalStateException("formatting the Kafka " + release + " broker's storage failed (" + status + "): " + formatter.output());
    }
  }

  // A KRaft cluster id is a base64url UUID of 22 characters.
  private static String clusterId() {
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  private List<String> jvmOptions() {
    List<String> options = new ArrayList<>(JVM_OPTIONS);
    options.add("-Dlog4j.configuration=file:" + dataDir.resolve("log4j.properties"));
    return options;
  }

  /** Starts the broker (again) on its ports and log dir, and waits until it answers. */
  public synchronized void start() {
    process = JvmProcess.startWithClassPath(classPath, "kafka.Kafka", jvmOptions(), List.of(configFile.toString()), dataDir.resolve("broker.log"));
    JvmProcess started = process;
    BrokerReadiness.await(bootstrapServers, 1, STARTUP_TIMEOUT, started::isAlive, () -> "Kafka " + release + " broker (log: " + started.log() + ")");
  }

  /** SIGKILL: no clean shutdown; {@link #start()} brings it back with its log dir. */
  public synchronized void kill() {
    process.kill();
  }

  /** SIGSTOP / SIGCONT: a broker that hangs without closing its connections. */
  public synchronized void pause() {
    process.signal("STOP");
  }

  public synchronized void resume() {
    process.signal("CONT");
  }

  /** The broker's output so far, for assertion messages. */
  public String output() {
    return process.output();
  }

  @Override
  public String address() {
    return bootstrapServers;
  }

  @Override
  public String describe() {
    return "Kafka " + release + " broker process (pid " + process.pid() + ") at " + bootstrapServers + " (" + dataDir + ")";
  }

  @Override
  public synchronized void close() {
    try {
      if (process.isAlive()) {
        process.signal("CONT");
        process.stop(Duration.ofSeconds(20));
      }
    } finally {
      EmbeddedKafkaBroker.deleteRecursively(dataDir);
    }
  }
}
