package io.taskpool.bench;

import io.taskpool.core.json.JsonCodec;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.GroupProbe;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * The benchmark entry point: taskpool against raw Kafka and Python's multiprocessing, measured in
 * one run on one local broker, because a shared machine's absolute figures swing. Progress goes to
 * stderr; the last stdout line is one JSON object with every figure and ratio.
 *
 * <p>{@code ./mvnw -q -pl bench -am package -DskipTests && java -jar
 * bench/target/taskpool-bench.jar}
 */
public final class BenchMain {
  private static final int RAW_RECORDS = 1_000_000;
  private static final int MAP_TASKS = 1_000_000;
  private static final int RTT_TASKS = 2_000;
  private static final int QUEUE_ITEMS = 200_000;
  private static final int LOCK_GENERIC_PER_PROCESS = 1_000;
  private static final int SCALING_TASKS = 100_000;

  private final LocalCluster cluster;
  private final Path logs;
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private BenchMain(LocalCluster cluster, Path logs) {
    this.cluster = cluster;
    this.logs = logs;
  }

  /**
   * The sections, in the order they run; those marked "only when named" are not part of a full run.
   */
  public static final Map<String, String> SECTIONS = sections();

  private static Map<String, String> sections() {
    Map<String, String> sections = new LinkedHashMap<>();
    sections.put("raw", "raw Kafka produce and consume rates (the reference)");
    sections.put("pool", "map per record and chunked, single-task round trip");
    sections.put("queue", "the seed's Queue example: put and process 200,000 items");
    sections.put("python", "Python's multiprocessing on the seed's examples");
    sections.put("lock", "the seed's Lock/Value example, 5 processes");
    sections.put("lock-generic", "generic lock vs plain Redisson RLock (only when named)");
    sections.put("scaling", "a pool growing on a backlog");
    sections.put("modes", "SHARED vs PARTITIONED queue modes");
    sections.put("slow", "slow tasks spread over workers");
    sections.put("protocols", "classic vs consumer group protocol (only when named)");
    return sections;
  }

  /** Runs every section (or those named) on a cluster of its own; prints one JSON object last. */
  public static void main(String[] args) throws Exception {
    run(List.of(args), false);
  }

  /**
   * Runs the named sections (all but the "only when named" ones when none are). The bench starts
   * its own broker and Redis unless {@code external}, when it uses those {@code
   * TASKPOOL_KAFKA_BOOTSTRAP} and {@code TASKPOOL_REDIS_URL} name.
   *
   * @throws IllegalArgumentException for a section that does not exist
   */
  public static void run(List<String> only, boolean external) throws Exception {
    for (String section : only) {
      if (!SECTIONS.containsKey(section)) {
        throw new IllegalArgumentException(
            "unknown bench section '"
                + section
                + "': choose from "
                + String.join(", ", SECTIONS.keySet()));
      }
    }
    Path work = Files.createTempDirectory("taskpool-bench");
    try (LocalCluster cluster = external ? LocalCluster.start(work) : LocalCluster.startOwn(work)) {
      BenchMain bench = new BenchMain(cluster, work.resolve("logs"));
      if (only.isEmpty() || only.contains("raw")) bench.rawKafka();
      if (only.isEmpty() || only.contains("pool")) bench.pool();
      if (only.isEmpty() || only.contains("queue")) bench.queue();
      if (only.isEmpty() || only.contains("python")) bench.python();
      if (only.isEmpty() || only.contains("lock")) bench.lock();
      if (only.contains("lock-generic")) bench.lockGeneric();
      if (only.isEmpty() || only.contains("scaling")) bench.scaling();
      if (only.isEmpty() || only.contains("modes")) bench.queueModes();
      if (only.isEmpty() || only.contains("slow")) bench.slowTasks();
      if (only.contains("protocols")) bench.groupProtocols();
      bench.ratios();
      System.out.println(new String(new JsonCodec().encode(bench.figures), StandardCharsets.UTF_8));
    }
  }

  private void rawKafka() {
    RawKafkaBench raw = new RawKafkaBench(cluster.kafkaSettings(), "bench.raw", 6);
    progress("raw Kafka: producing %,d records of 100 bytes", RAW_RECORDS);
    figures.put("raw_produce_per_s", round(raw.produce(RAW_RECORDS)));
    figures.put("raw_consume_per_s", round(raw.consume(RAW_RECORDS)));
  }

  private void pool() throws Exception {
    String ns = LocalCluster.uniqueNamespace("bench-pool");
    List<JvmProcess> workers = new ArrayList<>();
    try (GroupProbe probe = new GroupProbe(cluster, ns, "default")) {
      for (int i = 1; i <= 2; i++) {
        workers.add(
            WorkerProcess.start(
                cluster,
                ns,
                Map.of("worker.id", "bench-w" + i),
                logs.resolve(ns + "-w" + i + ".log")));
      }
      awaitMembers(probe, 2);
      figures.put("worker_idle_rss_mib", workers.get(0).residentBytes() / (1024 * 1024));
      try (TaskClient client =
          TaskClient.connect(
              ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
        List<Integer> inputs = IntStream.range(0, MAP_TASKS).boxed().toList();
        progress("warm-up: map of 200,000, per record and chunked");
        client.map("square", inputs.subList(0, 200_000), Long.class, MapOptions.chunkSize(1));
        client.map("square", inputs.subList(0, 200_000), Long.class);

        progress("map of %,d, one task per record", MAP_TASKS);
        figures.put(
            "map_per_record_per_s", round(timeMap(client, inputs, MapOptions.chunkSize(1))));
        progress("map of %,d, automatic chunking", MAP_TASKS);
        figures.put("map_chunked_per_s", round(timeMap(client, inputs, MapOptions.defaults())));

        progress("round trip of %,d sequential submits", RTT_TASKS);
        long[] nanos = new long[RTT_TASKS];
        for (int i = 0; i < 200; i++) {
          client.submit("square", i, Long.class).join();
        }
        for (int i = 0; i < RTT_TASKS; i++) {
          long start = System.nanoTime();
          client.submit("square", i, Long.class).join();
          nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        figures.put("rtt_p50_ms", round(nanos[RTT_TASKS / 2] / 1e6));
        figures.put("rtt_p99_ms", round(nanos[(int) (RTT_TASKS * 0.99)] / 1e6));
      }
    } finally {
      workers.forEach(worker -> worker.stop(Duration.ofSeconds(30)));
    }
  }

  private double timeMap(TaskClient client, List<Integer> inputs, MapOptions options) {
    Stopwatch watch = Stopwatch.start();
    List<Long> results = client.map("square", inputs, Long.class, options);
    double seconds = watch.seconds();
    long last = inputs.size() - 1L;
    if (results.size() != inputs.size() || results.get(inputs.size() - 1) != last * last) {
      throw new IllegalStateException("map returned wrong results");
    }
    return inputs.size() / seconds;
  }

  private void queue() throws Exception {
    String ns = LocalCluster.uniqueNamespace("bench-queue");
    try (GroupProbe probe = new GroupProbe(cluster, ns, "default");
        JvmProcess worker =
            WorkerProcess.start(
                cluster,
                ns,
                Map.of("worker.id", "bench-q", "commit.interval.ms", "20"),
                logs.resolve(ns + ".log"));
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder().kafka(cluster.kafkaSettings()).namespace(ns).build())) {
      awaitMembers(probe, 1);
      for (int i = 0; i < 10_000; i++) {
        client.put("noop", "warm " + i);
      }
      awaitLag(probe, 0);
      progress("queue: %,d items put and processed by one worker", QUEUE_ITEMS);
      Stopwatch watch = Stopwatch.start();
      CompletableFuture<Void> last = null;
      for (int i = 0; i < QUEUE_ITEMS; i++) {
        last = client.put("noop", "Task " + i);
      }
      last.join();
      awaitLag(probe, 0);
      figures.put("queue_per_s", round(QUEUE_ITEMS / watch.seconds()));
    }
  }

  /** Only the generic path against plain Redisson (for quick comparisons while tuning). */
  private void lockGeneric() throws Exception {
    LockBench locks = new LockBench(cluster, logs);
    figures.put(
        "redisson_lock_ops_per_s", round(locks.processes("plain", LOCK_GENERIC_PER_PROCESS)[1]));
    figures.put(
        "taskpool_lock_ops_per_s", round(locks.processes("generic", LOCK_GENERIC_PER_PROCESS)[1]));
  }

  private void lock() throws Exception {
    LockBench locks = new LockBench(cluster, logs);
    progress("lock: raw INCR loop, then the seed's 5 processes through each path");
    figures.put("raw_incr_per_s", round(locks.rawIncr(20_000)));
    // Plain Redisson runs ~250 ops/s here under 5-process contention (the seed's 500,000 would take
    // half an hour), so both lock paths are measured on 5 x 1,000 rather than 5 x 100,000.
    figures.put("lock_generic_measured_ops", 5 * LOCK_GENERIC_PER_PROCESS);
    figures.put(
        "redisson_lock_ops_per_s", round(locks.processes("plain", LOCK_GENERIC_PER_PROCESS)[1]));
    figures.put(
        "taskpool_lock_ops_per_s", round(locks.processes("generic", LOCK_GENERIC_PER_PROCESS)[1]));
    double[] fast = locks.processes("fast", 100_000);
    figures.put("seed_example_fastpath_s", round(fast[0]));
    figures.put("fastpath_ops_per_s", round(fast[1]));
    figures.put("fastpath_threads_ops_per_s", round(locks.threads("fast", 100_000)));
    figures.put(
        "redisson_lock_threads_ops_per_s", round(locks.threads("plain", LOCK_GENERIC_PER_PROCESS)));
    figures.put(
        "taskpool_lock_threads_ops_per_s",
        round(locks.threads("generic", LOCK_GENERIC_PER_PROCESS)));
    if (PythonBaseline.available()) {
      PythonBaseline.unpack()
          .run("lock_example.py")
          .ifPresent(s -> figures.put("py_lock_s", round(s)));
    }
  }

  private void scaling() throws Exception {
    ScalingBench scaling = new ScalingBench(cluster, logs);
    progress(
        "scaling: %,d tasks of 1 ms, coordinator autoscaling 1 -> 4 workers, then a fixed pool of"
            + " 4",
        SCALING_TASKS);
    double[] auto = scaling.autoscaled(SCALING_TASKS);
    figures.put("scale_tasks", SCALING_TASKS);
    figures.put("scale_decision_s", round(auto[0]));
    figures.put("scale_up_done_s", round(auto[1]));
    figures.put("drain_autoscaled_s", round(auto[2]));
    figures.put("drain_fixed_s", round(scaling.fixed(SCALING_TASKS)));
  }

  private void slowTasks() throws Exception {
    SlowTaskBench slow = new SlowTaskBench(cluster, logs);
    progress(
        "slow tasks: 16,000 of 10 ms, then 2,000 of 100 ms, on a pool autoscaling 1 -> 4 (2 threads"
            + " each)");
    if (!"100".equals(System.getenv("TASKPOOL_BENCH_SLOW_ONLY"))) {
      slow.run(16_000, 10)
          .forEach((key, value) -> figures.put(key, value instanceof Double d ? round(d) : value));
    }
    slow.run(2_000, 100)
        .forEach((key, value) -> figures.put(key, value instanceof Double d ? round(d) : value));
  }

  private void groupProtocols() throws Exception {
    progress(
        "group protocols: 3 workers join one, then drain, under 100 ms tasks; classic, then"
            + " consumer (KIP-848)");
    GroupProtocolBench protocols = new GroupProtocolBench(cluster, logs);
    for (String protocol : List.of("classic", "consumer")) {
      protocols
          .run(protocol)
          .forEach((key, value) -> figures.put(key, value instanceof Double d ? round(d) : value));
    }
  }

  private void queueModes() throws Exception {
    progress(
        "queue modes: PARTITIONED vs SHARED, 2 and 6 workers on 2 partitions, tasks of 0, 1, 10"
            + " ms");
    figures.putAll(new QueueModeBench(cluster, logs).run());
  }

  private void python() throws Exception {
    if (!PythonBaseline.available()) {
      progress("python3 not found: Python baselines skipped");
      return;
    }
    PythonBaseline py = PythonBaseline.unpack();
    progress("Python: Pool(4).map default chunksize, chunksize=1, Queue of 200,000");
    perSecond(py.run("pool_map.py", "default"), MAP_TASKS, "py_map_default_per_s");
    perSecond(py.run("pool_map.py", "1"), MAP_TASKS, "py_map_chunk1_per_s");
    perSecond(py.run("queue_example.py"), QUEUE_ITEMS, "py_queue_per_s");
  }

  private void perSecond(OptionalDouble seconds, int items, String key) {
    seconds.ifPresent(s -> figures.put(key, round(items / s)));
  }

  private void ratios() {
    ratio("map_per_record_vs_raw_produce", "map_per_record_per_s", "raw_produce_per_s");
    ratio("map_chunked_vs_py_map_default", "map_chunked_per_s", "py_map_default_per_s");
    ratio("map_per_record_vs_py_map_chunk1", "map_per_record_per_s", "py_map_chunk1_per_s");
    ratio("queue_vs_py_queue", "queue_per_s", "py_queue_per_s");
    ratio("taskpool_lock_vs_redisson_lock", "taskpool_lock_ops_per_s", "redisson_lock_ops_per_s");
    ratio("fastpath_vs_redisson_lock", "fastpath_ops_per_s", "redisson_lock_ops_per_s");
    ratio(
        "taskpool_lock_threads_vs_redisson_lock_threads",
        "taskpool_lock_threads_ops_per_s",
        "redisson_lock_threads_ops_per_s");
    ratio("py_lock_s_vs_seed_example_fastpath_s", "py_lock_s", "seed_example_fastpath_s");
    ratio("drain_autoscaled_vs_fixed", "drain_autoscaled_s", "drain_fixed_s");
    for (String workers : List.of("w2", "w6")) {
      for (String millis : List.of("0ms", "1ms", "10ms")) {
        String suffix = workers + "_" + millis + "_per_s";
        ratio(
            "shared_vs_partitioned_" + workers + "_" + millis,
            "shared_" + suffix,
            "partitioned_" + suffix);
      }
    }
  }

  private void ratio(String key, String numerator, String denominator) {
    if (figures.get(numerator) instanceof Number n
        && figures.get(denominator) instanceof Number d
        && d.doubleValue() > 0) {
      figures.put(key, round(n.doubleValue() / d.doubleValue()));
    }
  }

  private static void awaitMembers(GroupProbe probe, int count) throws InterruptedException {
    Waits.until(
        "workers joined",
        () -> probe.activeMembers() == count,
        Duration.ofSeconds(90),
        Duration.ofMillis(100));
  }

  private static void awaitLag(GroupProbe probe, long lag) throws InterruptedException {
    while (probe.lag() > lag) {
      Thread.sleep(5);
    }
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void progress(String format, Object... args) {
    System.err.println("[bench] " + String.format(format, args));
  }
}
