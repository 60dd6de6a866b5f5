package io.taskpool.testkit;

import io.taskpool.worker.WorkerMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Starts real worker processes ({@link WorkerMain}) with the project's default JVM options. */
public final class WorkerProcess {
  private WorkerProcess() {}

  /**
   * Starts one worker JVM on {@code cluster} in namespace {@code namespace}; {@code settings} are
   * extra worker settings ({@code concurrency}, {@code queue}, {@code kafka.*}, ...).
   */
  public static JvmProcess start(
      LocalCluster cluster, String namespace, Map<String, String> settings, Path log) {
    List<String> args = new ArrayList<>();
    args.add("--bootstrap.servers=" + cluster.kafkaBootstrap());
    args.add("--namespace=" + namespace);
    settings.forEach((key, value) -> args.add("--" + key + "=" + value));
    return JvmProcess.start(
        WorkerMain.class.getName(),
        Arrays.asList(WorkerMain.DEFAULT_JVM_OPTIONS.split(" ")),
        args,
        log);
  }
}
