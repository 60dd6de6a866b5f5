package io.taskpool.dev;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.core.redis.RedisSync;
import io.taskpool.core.wire.ControlMessage;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.SeedLockExample;
import io.taskpool.testkit.WorkerProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The seed's three examples, distributed, with no setup: an embedded Kafka broker and Redis, real
 * worker processes, the seed's output plus timings. Everything it starts is stopped at the end, on
 * failure and on Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the seed's Queue, Pool and Lock examples on an embedded cluster (a broker and Redis of"
            + " its own, nothing to set up).",
    footerHeading = "%nExamples:%n",
    footer = {"  taskpool demo"})
final class DemoCommand implements Runnable {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Spec CommandSpec spec;

  private final List<JvmProcess> processes = new CopyOnWriteArrayList<>();
  private PrintWriter out;
  private Path work;

  @Override
  public void run() {
    out = spec.commandLine().getOut();
    long start = System.nanoTime();
    try {
      work = Files.createTempDirectory("taskpool-demo");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread cleanup = new Thread(this::cleanUp, "taskpool-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try (LocalCluster cluster = LocalCluster.start(work)) {
      step("Starting an embedded Kafka broker and Redis", start);
      String ns = LocalCluster.uniqueNamespace("demo");
      queue(cluster, ns);
      pool(cluster, ns);
      lock(cluster, ns);
    } finally {
      cleanUp();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    out.printf("Demo finished in %.1f s%n", seconds(start));
    out.flush();
  }

  /** Seed example 1: a producer puts Task 0..4, one worker prints each, the sentinel stops it. */
  private void queue(LocalCluster cluster, String ns) {
    long start = System.nanoTime();
    out.println();
    out.println("== 1. Queue: a producer, one worker process, the sentinel ==");
    JvmProcess worker =
        startWorker(cluster, ns, "queue-worker", Map.of("concurrency", "1", "queue", "queue"));
    awaitMembers(cluster, ns, "queue", 1);
    out.println("Worker " + worker.pid() + " started.");
    try (TaskClient client = client(cluster, ns, "queue")) {
      for (int i = 0; i < 5; i++) {
        client.put("print", "Task " + i).join();
      }
      // The sentinel, as Python's q.put(None): finish what is queued, then exit.
      client
          .sendControl(
              new ControlMessage(
                  ControlMessage.STOP, "queue-worker", "queue", ControlMessage.WHEN_IDLE))
          .join();
    }
    if (worker.waitFor(WAIT) != 0) {
      throw new IllegalStateException("the queue worker did not stop cleanly: " + worker.output());
    }
    worker.output().lines().filter(line -> line.startsWith("Worker ")).forEach(out::println);
    out.println("Worker " + worker.pid() + " finished.");
    out.println("Main process finished.");
    step("Queue example", start);
  }

  /** Seed example 2: Pool(processes=4).map(square, 1..10). */
  private void pool(LocalCluster cluster, String ns) {
    long start = System.nanoTime();
    out.println();
    out.println(
        "== 2. Pool: map(square, 1..10) over a coordinator-managed pool of 4 worker processes ==");
    CoordinatorOptions options =
        CoordinatorOptions.builder(cluster.kafkaSettings(), "demo")
            .statusPort(0)
            .namespace(ns)
            .queue("pool")
            .workers(4, 4)
            .pollInterval(Duration.ofSeconds(1))
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(Map.of("concurrency", "1", "task.partitions", "4"))
            .build();
    List<Integer> numbers = IntStream.rangeClosed(1, 10).boxed().toList();
    try (TaskClient client = client(cluster, ns, "pool");
        Coordinator coordinator = new Coordinator(options, work.resolve("pool")).start()) {
      awaitMembers(cluster, ns, "pool", 4);
      List<Integer> squares =
          client.map(
              "square",
              numbers,
              Integer.class,
              MapOptions.builder().chunkSize(1).timeout(WAIT).build());
      out.println("Original numbers: " + numbers);
      out.println("Squared results: " + squares);
    }
    out.println("Main process finished.");
    step("Pool example", start);
  }

  /** Seed example 3: 5 processes x 100,000 increments of a shared Value under a Lock. */
  private void lock(LocalCluster cluster, String ns) {
    long start = System.nanoTime();
    out.println();
    out.println("== 3. Lock: 5 processes x 100,000 locked increments of a shared counter ==");
    List<JvmProcess> clients = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      clients.add(
          start(
              SeedLockExample.class.getName(),
              List.of("-XX:+UseSerialGC", "-Xmx128m"),
              List.of(cluster.redisUrl(), ns, "30000", "fast", "100000"),
              "lock-" + i));
    }
    for (JvmProcess client : clients) {
      if (client.waitFor(Duration.ofMinutes(5)) != 0) {
        throw new IllegalStateException("a lock process failed: " + client.output());
      }
    }
    try (RedisSync sync =
        RedisSync.connect(RedisSettings.fromUrl(cluster.redisUrl()), Namespace.of(ns))) {
      out.println("Final counter value: " + sync.counter("seed").get());
    }
    out.println("Main process finished.");
    step("Lock example", start);
  }

  private JvmProcess startWorker(
      LocalCluster cluster, String ns, String id, Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("worker.id", id);
    JvmProcess worker = WorkerProcess.start(cluster, ns, all, work.resolve(id + ".log"));
    processes.add(worker);
    return worker;
  }

  private JvmProcess start(
      String mainClass, List<String> jvmOptions, List<String> args, String name) {
    JvmProcess process = JvmProcess.start(mainClass, jvmOptions, args, work.resolve(name + ".log"));
    processes.add(process);
    return process;
  }

  private static TaskClient client(LocalCluster cluster, String ns, String queue) {
    KafkaSettings kafka = cluster.kafkaSettings();
    return TaskClient.connect(
        ClientOptions.builder().kafka(kafka).namespace(ns).queue(queue).taskPartitions(4).build());
  }

  private static void awaitMembers(LocalCluster cluster, String ns, String queue, int count) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (GroupProbe probe = new GroupProbe(cluster, ns, queue)) {
      while (probe.activeMembers() != count) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              count + " workers did not join within " + WAIT.toSeconds() + " s");
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void step(String what, long startNanos) {
    out.printf("(%s: %.1f s)%n", what, seconds(startNanos));
    out.flush();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void cleanUp() {
    processes.forEach(JvmProcess::close);
    processes.clear();
    if (work != null && Files.exists(work)) {
      try (Stream<Path> paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        // Best effort: a temp dir.
      }
    }
  }
}
