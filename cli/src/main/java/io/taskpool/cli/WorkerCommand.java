package io.taskpool.cli;

import io.taskpool.worker.WorkerMain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs one worker in this process, with the handlers of every TaskModule on the class path. */
@Command(name = "worker", mixinStandardHelpOptions = true, description = "Run a worker process (SIGTERM drains it).")
final class WorkerCommand implements Runnable {
  @Mixin Connection connection;

  @Option(names = "--concurrency", description = "handler threads (default: cores)")
  Integer concurrency;

  @Option(names = "--worker-id", description = "name in replies, dead letters and stop commands (default host-pid)")
  String workerId;

  @Override
  public void run() {
    List<String> args = new ArrayList<>();
    args.add("--bootstrap.servers=" + connection.kafkaSettings().bootstrapServers());
    args.add("--namespace=" + connection.namespace().name());
    args.add("--queue=" + connection.queue());
    for (Map.Entry<String, String> pass : connection.kafkaSettings().clientProperties().entrySet()) {
      args.add("--kafka." + pass.getKey() + "=" + pass.getValue());
    }
    if (concurrency != null) {
      args.add("--concurrency=" + concurrency);
    }
    if (workerId != null) {
      args.add("--worker.id=" + workerId);
    }
    try {
      WorkerMain.main(args.toArray(String[]::new));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
