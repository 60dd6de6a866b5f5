package io.taskpool.it;

import static org.awaitility.Awaitility.await;

import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Worker processes (separate JVMs) of one test, killed when the test ends whatever happened. */
final class WorkerFleet implements AutoCloseable {
  private final LocalCluster cluster;
  private final String namespace;
  private final List<JvmProcess> processes = new ArrayList<>();

  WorkerFleet(LocalCluster cluster, String namespace) {
    this.cluster = cluster;
    this.namespace = namespace;
  }

  /** Starts a worker named {@code workerId} with extra settings. */
  JvmProcess start(String workerId, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("worker.id", workerId);
    JvmProcess process =
        WorkerProcess.start(
            cluster,
            namespace,
            all,
            Path.of("target", "worker-logs", namespace + "-" + workerId + ".log"));
    processes.add(process);
    return process;
  }

  /** Waits until {@code count} workers own partitions of the default queue. */
  void awaitActiveMembers(int count) {
    try (GroupProbe probe = new GroupProbe(cluster, namespace, "default")) {
      await("" + count + " active workers in " + namespace)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> probe.activeMembers() == count);
    }
  }

  @Override
  public void close() {
    processes.forEach(JvmProcess::close);
  }
}
