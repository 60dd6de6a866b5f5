package io.taskpool.cli;

import io.taskpool.core.TaskpoolException;
import io.taskpool.worker.WorkerSettings;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code taskpool} command as a server runs it: worker, coordinator, status, submit, map,
 * counter, dlq. The development command ({@code taskpool-dev}) adds demo, cluster and bench on top.
 * Errors come out as one line naming the problem, with a non-zero exit: 2 for a wrong command line,
 * 1 for anything that failed while running.
 */
@Command(
    name = "taskpool",
    mixinStandardHelpOptions = true,
    version = "taskpool 0.1.0",
    description =
        "Python's multiprocessing Queue, Pool, Lock and Value across machines, over Kafka and"
            + " Redis.",
    subcommands = {
      CoordinatorCommand.class,
      StatusCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      MapCommand.class,
      CounterCommand.class,
      DlqCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TaskpoolCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(commandLine(), args));
  }

  /** Runs {@code cli} with the command's own quiet logging, whatever logback.xml rides along. */
  public static int run(CommandLine cli, String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "taskpool-cli-logback.xml");
    }
    return cli.execute(args);
  }

  /** The configured command line: one-line errors, no stack traces. */
  public static CommandLine commandLine() {
    return configure(new CommandLine(new TaskpoolCli()));
  }

  /** Gives {@code cli} (and its subcommands) taskpool's one-line error handling. */
  public static CommandLine configure(CommandLine cli) {
    cli.setParameterExceptionHandler(
        (error, args) -> {
          CommandLine failed = error.getCommandLine();
          failed
              .getErr()
              .println(
                  "taskpool: "
                      + error.getMessage()
                      + " (see '"
                      + failed.getCommandSpec().qualifiedName()
                      + " --help')");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (error, failed, parsed) -> {
          failed.getErr().println("taskpool: " + oneLine(error));
          return 1;
        });
    CommandLine worker = cli.getSubcommands().get("worker");
    if (worker != null) {
      listWorkerSettings(worker.getCommandSpec().usageMessage());
    }
    return cli;
  }

  /** {@code worker --help} ends with every worker setting, from their one declaration. */
  private static void listWorkerSettings(CommandLine.Model.UsageMessageSpec usage) {
    List<String> footer = new ArrayList<>(List.of(usage.footer()));
    footer.add(
        "%nWorker settings (--set KEY=VALUE, or a coordinator's --worker-setting KEY=VALUE):");
    footer.addAll(WorkerSettings.helpLines());
    usage.footer(footer.toArray(String[]::new));
  }

  private static String oneLine(Throwable error) {
    Throwable shown = error;
    if (!(error instanceof TaskpoolException)
        && !(error instanceof UncheckedIOException)
        && error.getCause() != null) {
      shown = error.getCause();
    }
    String message =
        shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
