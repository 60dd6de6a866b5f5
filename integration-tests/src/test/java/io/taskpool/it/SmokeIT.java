package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerOptions;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class SmokeIT {
  @Test
  void mapsOverAnInProcessWorker(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("smoke");
    try (Worker worker = new Worker(WorkerOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build());
        TaskClient client = TaskClient.connect(ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      worker.handlers().discover(getClass().getClassLoader());
      worker.start();
      List<Integer> inputs = IntStream.rangeClosed(1, 10).boxed().toList();
      assertThat(client.map("square", inputs, Integer.class)).containsExactly(1, 4, 9, 16, 25, 36, 49, 64, 81, 100);
    }
  }
}
