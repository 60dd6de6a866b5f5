package io.taskpool.testkit.internal;

import io.taskpool.testkit.KafkaNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A KRaft cluster of {@code size} nodes, each broker and controller in a process of its own, with
 * production replication (3 replicas, 2 in sync): what broker-failure tests kill and restart.
 */
public final class ReplicatedKafkaCluster implements Service {
  private final List<KafkaBrokerProcess> nodes;
  private final Path dataRoot;

  /**
   * Formats and starts {@code size} nodes from the jars on {@code classPath}; returns once all
   * serve.
   */
  public ReplicatedKafkaCluster(int size, String classPath, Path parentDir) {
    this.dataRoot = KafkaBrokerProcess.createDataDir(parentDir, "kafka-cluster-");
    int[] brokerPorts = new int[size];
    int[] controllerPorts = new int[size];
    StringBuilder voters = new StringBuilder();
    for (int i = 0; i < size; i++) {
      brokerPorts[i] = FreePorts.next();
      controllerPorts[i] = FreePorts.next();
      voters
          .append(i == 0 ? "" : ",")
          .append(i + 1)
          .append("@127.0.0.1:")
          .append(controllerPorts[i]);
    }
    String clusterId = KafkaBrokerProcess.clusterId();
    List<KafkaBrokerProcess> formatted = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        Path dataDir = dataRoot.resolve("node-" + (i + 1));
        formatted.add(
            KafkaBrokerProcess.clusterNode(
                i + 1,
                classPath,
                dataDir,
                brokerPorts[i],
                BrokerConfigs.replicatedNode(
                    i + 1, brokerPorts[i], controllerPorts[i], voters.toString(), dataDir),
                clusterId));
      }
      this.nodes = List.copyOf(formatted);
      startAll(nodes);
    } catch (RuntimeException e) {
      formatted.forEach(KafkaBrokerProcess::discard);
      EmbeddedKafkaBroker.deleteRecursively(dataRoot);
      throw e;
    }
  }

  /**
   * Starts the given stopped nodes together (a quorum needs most of them) and waits until each
   * serves.
   */
  public void startAll(List<? extends KafkaNode> stopped) {
    List<KafkaBrokerProcess> mine = stopped.stream().map(this::own).toList();
    mine.forEach(KafkaBrokerProcess::launch);
    mine.forEach(node -> node.awaitReady(1));
  }

  private KafkaBrokerProcess own(KafkaNode node) {
    return nodes.stream()
        .filter(n -> n == node)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(node + " is not a node of this cluster"));
  }

  public List<KafkaNode> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public String address() {
    return nodes.stream().map(KafkaBrokerProcess::address).collect(Collectors.joining(","));
  }

  @Override
  public String describe() {
    return nodes.size()
        + "-node KRaft cluster (processes, 3 replicas, min.insync.replicas=2) at "
        + address()
        + " ("
        + dataRoot
        + ")";
  }

  @Override
  public void close() {
    try {
      // Its data goes too, so nothing needs a clean shutdown (which stalls once the quorum is
      // gone).
      nodes.forEach(KafkaBrokerProcess::discard);
    } finally {
      EmbeddedKafkaBroker.deleteRecursively(dataRoot);
    }
  }
}
