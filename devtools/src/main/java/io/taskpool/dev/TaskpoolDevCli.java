package io.taskpool.dev;

import io.taskpool.cli.TaskpoolCli;
import picocli.CommandLine;

/**
 * The development command: everything of the server's {@code taskpool} command, plus {@code demo},
 * {@code cluster} and {@code bench}, which bring the test kit (an embedded broker and Redis) and
 * the benchmark along. What {@code ./taskpool} runs from a checkout; never deployed.
 */
public final class TaskpoolDevCli {
  private TaskpoolDevCli() {}

  public static void main(String[] args) {
    System.exit(TaskpoolCli.run(commandLine(), args));
  }

  /** The server command with the development commands added. */
  public static CommandLine commandLine() {
    CommandLine cli = TaskpoolCli.commandLine();
    cli.addSubcommand(new CommandLine(new DemoCommand()));
    cli.addSubcommand(new CommandLine(new ClusterCommand()));
    cli.addSubcommand(BenchCommand.commandLine());
    return TaskpoolCli.configure(cli);
  }
}
