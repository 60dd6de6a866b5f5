package io.taskpool.cli;

import io.taskpool.worker.TaskJars;
import io.taskpool.worker.Worker;
import io.taskpool.worker.WorkerMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs one worker in this process, with the handlers of the TaskModules in the --tasks jars. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Run a worker process: it runs the queue's tasks with the handlers of your --tasks jars"
            + " until SIGTERM, which drains it (running tasks finish, the rest stays queued).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  taskpool worker --tasks my-tasks.jar --bootstrap-servers kafka1:9092,kafka2:9092",
      "  taskpool worker --tasks /opt/taskpool/tasks --queue emails --concurrency 16 --set"
          + " soft.time.limit.ms=30000",
      "  taskpool worker --tasks my-tasks.jar --queue-mode shared    (a share group: Kafka 4.2+)"
    })
final class WorkerCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "handler threads; default: the machine's cores")
  Integer concurrency;

  @Option(
      names = "--worker-id",
      paramLabel = "ID",
      description = "name in replies, dead letters and stop commands; default host-pid")
  String workerId;

  @Option(
      names = "--queue-mode",
      paramLabel = "MODE",
      description =
          "PARTITIONED (a consumer group: per-key order) or SHARED (a share group, Kafka 4.2+: more"
              + " workers than partitions); default PARTITIONED")
  String queueMode;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description =
          "any worker setting (listed below), repeatable, e.g. --set soft.time.limit.ms=30000 --set"
              + " max.in.flight=500")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--tasks",
      paramLabel = "PATH",
      description =
          "your task code: a jar, or a directory of jars, with a"
              + " META-INF/services/io.taskpool.worker.TaskModule entry; repeatable (default:"
              + " $TASKPOOL_TASKS, else the TaskModules on this command's class path)")
  List<Path> tasks = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    if (!tasks.isEmpty()) {
      // Checked before anything else, so a wrong path is a one-line error of this command.
      TaskJars.loader(tasks, getClass().getClassLoader());
    }
    List<String> args = new ArrayList<>();
    args.add("--bootstrap.servers=" + connection.kafkaSettings().bootstrapServers());
    args.add("--namespace=" + connection.namespace().name());
    args.add("--queue=" + connection.queue());
    for (Map.Entry<String, String> pass :
        connection.kafkaSettings().clientProperties().entrySet()) {
      args.add("--kafka." + pass.getKey() + "=" + pass.getValue());
    }
    if (concurrency != null) {
      args.add("--concurrency=" + concurrency);
    }
    if (workerId != null) {
      args.add("--worker.id=" + workerId);
    }
    if (queueMode != null) {
      args.add("--queue.mode=" + queueMode);
    }
    set.forEach((key, value) -> args.add("--" + key + "=" + value));
    if (!tasks.isEmpty()) {
      args.add("--" + WorkerMain.TASKS + "=" + TaskPaths.join(tasks));
    }
    // A refusal (bad settings, no handlers, a cluster without what the mode needs) is the CLI's
    // one-line error.
    Worker worker = WorkerMain.start(args.toArray(String[]::new));
    return WorkerMain.runUntilStopped(worker);
  }
}
