package io.taskpool.worker;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.QueueMode;
import io.taskpool.core.TaskpoolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one worker process with the handlers of every {@link TaskModule} on the class path.
 *
 * <p>Task code: the jars named by {@code --tasks=PATH[:PATH...]} (or {@code TASKPOOL_TASKS}), each
 * a jar or a directory of jars, loaded in a class loader of their own; without it, the {@link
 * TaskModule}s on the class path.
 *
 * <p>Settings, later ones winning: {@code --config=FILE} (properties), environment ({@code
 * TASKPOOL_KAFKA_BOOTSTRAP}, {@code TASKPOOL_NAMESPACE}, {@code TASKPOOL_QUEUE}), then {@code
 * --key=value} arguments with the keys of {@link WorkerOptions#fromProperties}. SIGTERM drains.
 */
public final class WorkerMain {
  /**
   * The JVM options taskpool starts worker processes with: small and steady (< 200 MiB RSS idle).
   */
  public static final String DEFAULT_JVM_OPTIONS =
      "-XX:+UseSerialGC -Xms16m -Xmx256m -XX:MaxMetaspaceSize=96m -Xss512k"
          + " -XX:ReservedCodeCacheSize=64m";

  private WorkerMain() {}

  /**
   * Setting a supervisor passes, with its own pid, so its workers drain and exit when it dies (no
   * orphaned pools). A pid rather than "my parent": a worker still starting when its supervisor
   * died would otherwise find itself adopted by init and watch that.
   */
  public static final String EXIT_WITH_PARENT = "exit.with.parent";

  /** Exit code of a worker that stopped itself to be replaced (see {@link Worker#failure()}). */
  public static final int EXIT_REPLACE_ME = 3;

  /** Setting: the user's task jars or directories of jars (see {@link TaskJars}). */
  public static final String TASKS = "tasks";

  public static void main(String[] args) throws InterruptedException {
    Worker worker;
    try {
      worker = start(args);
    } catch (TaskpoolException e) {
      System.err.println("taskpool worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    int exit = runUntilStopped(worker);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  /**
   * Starts a worker from {@code --key=value} arguments (see the class comment).
   *
   * @throws TaskpoolException for bad settings, missing task code, or a cluster that cannot serve
   *     the queue mode, with a one-line message
   */
  public static Worker start(String[] args) {
    Properties settings = settings(args, System.getenv());
    Optional<CompletableFuture<?>> supervisorExit =
        supervisorExit((String) settings.remove(EXIT_WITH_PARENT));
    String tasks = (String) settings.remove(TASKS);
    Worker worker = new Worker(WorkerOptions.fromProperties(settings));
    try {
      discoverHandlers(worker.handlers(), tasks);
      worker.start();
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    // Completes at once if the supervisor is gone already.
    supervisorExit.ifPresent(exit -> exit.thenRun(() -> worker.stop(false)));
    return worker;
  }

  /** What a worker says when it has started: who it is, what it serves, with what. */
  static String banner(Worker worker) {
    WorkerOptions o = worker.options();
    String group =
        o.queueMode() == QueueMode.SHARED
            ? "share group " + o.namespace().shareGroup(o.queue())
            : "consumer group " + o.namespace().workerGroup(o.queue());
    String metrics =
        worker.metricsPort() < 0
            ? ""
            : String.format(
                Locale.ROOT, "%n  metrics: http://%s:%d/metrics", o.hostId(), worker.metricsPort());
    return String.format(
        Locale.ROOT,
        "taskpool worker %s: serving %s/%s (%s mode, %s) at %s with %d handler thread(s)%n  tasks:"
            + " %s%s%n  SIGTERM drains: running tasks finish, the rest stays queued",
        o.workerId(),
        o.namespace().name(),
        o.queue(),
        o.queueMode(),
        group,
        o.kafka().bootstrapServers(),
        o.concurrency(),
        String.join(", ", new TreeSet<>(worker.handlers().names())),
        metrics);
  }

  /** What a worker says when it has stopped: how much it did and how long the drain took. */
  static String summary(Worker worker, long ranNanos, long drainNanos) {
    return String.format(
        Locale.ROOT,
        "taskpool worker %s: stopped after running %,d task record(s) (a chunk counts once) in %s;"
            + " drained in %.1f s",
        worker.options().workerId(),
        worker.completedTasks(),
        Duration.ofNanos(ranNanos).withNanos(0).toString().substring(2).toLowerCase(Locale.ROOT),
        drainNanos / 1e9);
  }

  /**
   * Drains {@code worker} on SIGTERM and waits until it has stopped; the process's exit code: 0, or
   * {@link #EXIT_REPLACE_ME} when it stopped itself to be replaced.
   */
  public static int runUntilStopped(Worker worker) throws InterruptedException {
    long startedNanos = System.nanoTime();
    System.err.println(banner(worker));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // In the hook: once hooks are done the JVM halts, whatever the main thread was
                  // doing.
                  long drainStart = System.nanoTime();
                  worker.close();
                  System.err.println(
                      summary(worker, drainStart - startedNanos, System.nanoTime() - drainStart));
                },
                "taskpool-sigterm"));
    while (!worker.awaitTermination(Duration.ofHours(1))) {
      // Keep the main thread until the worker stops (stop command, or SIGTERM via the hook).
    }
    if (worker.failure() != null) {
      // Non-zero, so a coordinator (or systemd, or k8s) starts a fresh worker in its place.
      System.err.println("taskpool worker: stopped to be replaced: " + worker.failure());
      return EXIT_REPLACE_ME;
    }
    return 0;
  }

  /**
   * Registers the {@link TaskModule}s of the {@code tasks} jars ({@link TaskJars}; paths separated
   * by the platform's path separator, as a class path), or, without any, those on the class path.
   *
   * @throws TaskpoolException when no handler is found, naming where it looked
   */
  static void discoverHandlers(HandlerRegistry handlers, String tasks) {
    if (tasks == null || tasks.isBlank()) {
      handlers.discover(WorkerMain.class.getClassLoader());
      if (handlers.names().isEmpty()) {
        throw new TaskpoolException(
            "no task handlers found: give your task jar with --tasks PATH (a jar or a directory of"
                + " jars with a META-INF/services/"
                + TaskModule.class.getName()
                + " entry)");
      }
      return;
    }
    handlers.discoverOwn(TaskJars.loader(TaskJars.parse(tasks), WorkerMain.class.getClassLoader()));
    if (handlers.names().isEmpty()) {
      throw new TaskpoolException("--tasks " + tasks + ": its TaskModules registered no handler");
    }
  }

  /**
   * When the process whose death stops this worker exits: a pid, or "true" for the parent; empty
   * for none. Already completed if that process is gone.
   */
  private static Optional<CompletableFuture<?>> supervisorExit(String setting) {
    if (setting == null || setting.isBlank() || "false".equals(setting)) {
      return Optional.empty();
    }
    Optional<ProcessHandle> supervisor;
    if ("true".equals(setting)) {
      supervisor = ProcessHandle.current().parent();
    } else {
      try {
        supervisor = ProcessHandle.of(Long.parseLong(setting.trim()));
      } catch (NumberFormatException e) {
        throw new TaskpoolException(
            EXIT_WITH_PARENT + " must be a pid or true, was '" + setting + "'");
      }
    }
    return Optional.of(
        supervisor
            .<CompletableFuture<?>>map(ProcessHandle::onExit)
            .orElse(CompletableFuture.completedFuture(null)));
  }

  static Properties settings(String[] args, Map<String, String> env) {
    Properties settings = new Properties();
    for (String arg : args) {
      if (arg.startsWith("--config=")) {
        try (InputStream in = Files.newInputStream(Path.of(arg.substring("--config=".length())))) {
          settings.load(in);
        } catch (IOException e) {
          throw new TaskpoolException("cannot read " + arg + ": " + e.getMessage(), e);
        }
      }
    }
    copyEnv(env, EnvironmentVariables.KAFKA_BOOTSTRAP, "bootstrap.servers", settings);
    copyEnv(env, EnvironmentVariables.NAMESPACE, "namespace", settings);
    copyEnv(env, EnvironmentVariables.QUEUE, "queue", settings);
    copyEnv(env, EnvironmentVariables.TASKS, TASKS, settings);
    for (String arg : args) {
      if (arg.startsWith("--config=")) {
        continue;
      }
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new TaskpoolException(
            "unknown argument '"
                + arg
                + "': use --key=value, e.g. --bootstrap.servers=localhost:9092");
      }
      settings.setProperty(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return settings;
  }

  private static void copyEnv(
      Map<String, String> env, String name, String key, Properties settings) {
    String value = env.get(name);
    if (value != null && !value.isBlank()) {
      settings.setProperty(key, value);
    }
  }
}
