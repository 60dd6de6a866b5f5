package io.taskpool.it;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.NetworkLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One host's coordinator as a process of its own, so a test can SIGKILL it: args are bootstrap,
 * redis URL, namespace, host id, status port, min, max, target lag, poll ms, heartbeat TTL ms, then
 * optional worker settings as {@code key=value}.
 */
public final class CoordinatorProcess {
  private CoordinatorProcess() {}

  public static void main(String[] args) throws InterruptedException {
    CoordinatorOptions options =
        CoordinatorOptions.builder(KafkaSettings.of(args[0]), args[3])
            .redis(RedisSettings.fromUrl(args[1]))
            .namespace(args[2])
            .statusPort(Integer.parseInt(args[4]))
            .workers(Integer.parseInt(args[5]), Integer.parseInt(args[6]))
            .targetLagPerWorker(Long.parseLong(args[7]))
            .pollInterval(Duration.ofMillis(Long.parseLong(args[8])))
            .heartbeatTtl(Duration.ofMillis(Long.parseLong(args[9])))
            .workerSettings(workerSettings(args))
            .build();
    Coordinator coordinator =
        new Coordinator(options, Path.of("target", "worker-logs", args[2] + "-" + args[3])).start();
    Runtime.getRuntime().addShutdownHook(new Thread(coordinator::close));
    Thread.sleep(Long.MAX_VALUE);
  }

  private static Map<String, String> workerSettings(String[] args) {
    Map<String, String> settings = new HashMap<>(Map.of("concurrency", "1"));
    for (int i = 10; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    return settings;
  }

  /**
   * As {@link #start}, on a simulated host of a {@link NetworkLab}; {@code workerSettings} as
   * key=value.
   */
  static JvmProcess startOn(
      NetworkLab.Host on,
      String bootstrap,
      String redisUrl,
      String ns,
      int port,
      int min,
      int max,
      long targetLag,
      long pollMillis,
      long ttlMillis,
      String... workerSettings) {
    List<String> args =
        new ArrayList<>(
            List.of(
                bootstrap,
                redisUrl,
                ns,
                on.name(),
                String.valueOf(port),
                String.valueOf(min),
                String.valueOf(max),
                String.valueOf(targetLag),
                String.valueOf(pollMillis),
                String.valueOf(ttlMillis)));
    args.addAll(List.of(workerSettings));
    return JvmProcess.startBehind(
        on.exec(),
        CoordinatorProcess.class.getName(),
        List.of("-XX:+UseSerialGC", "-Xmx128m"),
        args,
        Path.of("target", "worker-logs", ns + "-coordinator-" + on.name() + ".log"));
  }

  static JvmProcess start(
      String bootstrap,
      String redisUrl,
      String ns,
      String host,
      int port,
      int min,
      int max,
      long targetLag,
      long pollMillis,
      long ttlMillis) {
    List<String> args =
        List.of(
            bootstrap,
            redisUrl,
            ns,
            host,
            String.valueOf(port),
            String.valueOf(min),
            String.valueOf(max),
            String.valueOf(targetLag),
            String.valueOf(pollMillis),
            String.valueOf(ttlMillis));
    return JvmProcess.start(
        CoordinatorProcess.class.getName(),
        List.of("-XX:+UseSerialGC", "-Xmx128m"),
        args,
        Path.of("target", "worker-logs", ns + "-coordinator-" + host + ".log"));
  }
}
