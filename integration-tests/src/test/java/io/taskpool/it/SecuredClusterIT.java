package io.taskpool.it;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taskpool.coordinator.Coordinator;
import io.taskpool.coordinator.CoordinatorOptions;
import io.taskpool.coordinator.WorkerStatus;
import io.taskpool.core.KafkaSettings;
import io.taskpool.core.Namespace;
import io.taskpool.core.TaskpoolException;
import io.taskpool.core.redis.RedisSync;
import io.taskpool.core.sync.SharedCounter;
import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.testkit.ClusterSecurity;
import io.taskpool.testkit.ClusterSpec;
import io.taskpool.testkit.JvmProcess;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalClusterExtension;
import io.taskpool.worker.WorkerMain;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * taskpool on a secured cluster: Kafka over SASL_SSL with SCRAM-SHA-512 and prefixed ACLs (one user
 * per role, each with only the ACLs the README lists for it), Redis over TLS with an ACL user.
 */
@Tag("topology")
@ExtendWith(LocalClusterExtension.class)
@ClusterSpec(secured = true)
class SecuredClusterIT {

  @Test
  void clientWorkersAndCoordinatorRunAMapOfTenThousandOverSaslSslAndTlsToRedis(
      LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("secured");
    ClusterSecurity security = cluster.security();
    Users users = Users.grantedTheReadmeAcls(security, ns);
    security.createRedisUser(users.redis, users.password, ns + ":");
    CoordinatorOptions options =
        CoordinatorOptions.builder(users.kafka(security, users.coordinator), "host-s")
            .statusPort(0)
            .namespace(ns)
            .redis(security.redisSettings(users.redis, users.password))
            .workers(2, 2)
            .workerClassPath(JvmProcess.currentClassPath())
            .workerSettings(
                Map.of(
                    "concurrency",
                    "2",
                    "kafka.sasl.jaas.config",
                    users.kafka(security, users.worker).clientProperties().get("sasl.jaas.config")))
            .build();
    try (Coordinator coordinator =
            new Coordinator(options, Path.of("target", "worker-logs", ns)).start();
        TaskClient client =
            TaskClient.connect(
                ClientOptions.builder()
                    .kafka(users.kafka(security, users.client))
                    .namespace(ns)
                    .build());
        RedisSync redis =
            RedisSync.connect(
                security.redisSettings(users.redis, users.password), Namespace.of(ns))) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  coordinator.status() != null
                      && coordinator.status().workers().stream()
                              .map(WorkerStatus::state)
                              .filter("running"::equals)
                              .count()
                          == 2);

      // A map of 10,000, one task per record, through the SASL_SSL listener
      List<Integer> inputs = IntStream.range(0, 10_000).boxed().toList();
      List<Integer> results =
          client.map(
              "square",
              inputs,
              Integer.class,
              MapOptions.builder().chunkSize(1).timeout(Duration.ofMinutes(3)).build());
      assertThat(results).containsExactlyElementsOf(inputs.stream().map(n -> n * n).toList());

      // And locked increments over TLS, as the ACL user
      SharedCounter counter = redis.counter("secured");
      for (int i = 0; i < 100; i++) {
        counter.incrementAndGet();
      }
      assertThat(counter.get()).isEqualTo(100);
      assertThat(coordinator.status().restarts()).isZero();
      // The status page's group view works with the coordinator's ACLs: both workers are members
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> coordinator.status().members().size() == 2);
    }
  }

  @Test
  void aWrongKafkaPasswordIsAOneLineAuthenticationErrorFromTheClientAndTheWorkerProcess(
      LocalCluster cluster) throws IOException {
    String ns = LocalCluster.uniqueNamespace("wrong-pw");
    ClusterSecurity security = cluster.security();
    Users users = Users.grantedTheReadmeAcls(security, ns);
    KafkaSettings wrong = security.kafkaSettings(users.client, "not-" + users.password);

    assertThatThrownBy(
            () -> TaskClient.connect(ClientOptions.builder().kafka(wrong).namespace(ns).build()))
        .isInstanceOf(TaskpoolException.class)
        .hasMessageContaining("Authentication failed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

    JvmProcess worker =
        startWorker(security.kafkaSettings(users.worker, "not-" + users.password), ns);
    assertThat(worker.waitFor(Duration.ofSeconds(90))).as(worker.output()).isEqualTo(2);
    assertThat(worker.output()).containsPattern("(?m)^taskpool worker: .*Authentication failed");
  }

  @Test
  void aMissingAclIsAOneLineErrorNamingTheTopic(LocalCluster cluster) {
    String ns = LocalCluster.uniqueNamespace("no-acl");
    ClusterSecurity security = cluster.security();
    Users users = Users.grantedTheReadmeAcls(security, ns);
    // A client user with every client ACL but WRITE on the task topics
    String readOnly = "ro-" + ns;
    security.createKafkaUser(readOnly, users.password);
    security.allowPrefixed(readOnly, TOPIC, ns + ".tasks.", DESCRIBE, CREATE);
    security.allowPrefixed(readOnly, TOPIC, ns + ".replies.", CREATE, DESCRIBE, READ, DELETE);

    try (TaskClient client =
        TaskClient.connect(
            ClientOptions.builder().kafka(users.kafka(security, readOnly)).namespace(ns).build())) {
      assertThatThrownBy(() -> client.submit("square", 3, Integer.class).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(TaskpoolException.class)
          .hasMessageStartingWith(
              "not authorized to write to topic "
                  + ns
                  + ".tasks.default: grant this Kafka user WRITE and DESCRIBE on it")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  private static JvmProcess startWorker(KafkaSettings kafka, String ns) throws IOException {
    Path config =
        Files.createTempFile(
            Path.of("target"),
            "secured-worker-",
            ".properties",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Properties settings = new Properties();
    settings.setProperty("bootstrap.servers", kafka.bootstrapServers());
    kafka.clientProperties().forEach((key, value) -> settings.setProperty("kafka." + key, value));
    settings.setProperty("namespace", ns);
    try (OutputStream out = Files.newOutputStream(config)) {
      settings.store(out, null);
    }
    return JvmProcess.start(
        WorkerMain.class.getName(),
        Arrays.asList(WorkerMain.DEFAULT_JVM_OPTIONS.split(" ")),
        List.of("--config=" + config),
        Path.of("target", "worker-logs", ns + "-worker.log"));
  }

  /** One Kafka user per role with the ACLs the README lists for it, and a Redis user. */
  private record Users(
      String client, String worker, String coordinator, String redis, String password) {
    static Users grantedTheReadmeAcls(ClusterSecurity security, String ns) {
      Users users =
          new Users(
              "client-" + ns,
              "worker-" + ns,
              "coordinator-" + ns,
              "redis-" + ns,
              UUID.randomUUID().toString());
      for (String user : List.of(users.client, users.worker, users.coordinator)) {
        security.createKafkaUser(user, users.password);
      }
      security.allowPrefixed(users.client, TOPIC, ns + ".tasks.", WRITE, DESCRIBE, CREATE);
      security.allowPrefixed(users.client, TOPIC, ns + ".replies.", CREATE, DESCRIBE, READ, DELETE);

      security.allowPrefixed(users.worker, TOPIC, ns + ".tasks.", READ, DESCRIBE, CREATE);
      security.allowPrefixed(users.worker, TOPIC, ns + ".dlq.", WRITE, DESCRIBE, CREATE);
      security.allowPrefixed(users.worker, TOPIC, ns + ".control", READ, DESCRIBE, CREATE);
      security.allowPrefixed(users.worker, TOPIC, ns + ".replies.", WRITE, DESCRIBE);
      security.allowPrefixed(users.worker, GROUP, ns + ".workers.", READ, DESCRIBE);

      security.allowPrefixed(users.coordinator, TOPIC, ns + ".tasks.", DESCRIBE, CREATE, ALTER);
      security.allowPrefixed(users.coordinator, TOPIC, ns + ".dlq.", DESCRIBE, READ);
      security.allowPrefixed(users.coordinator, GROUP, ns + ".workers.", DESCRIBE);
      return users;
    }

    KafkaSettings kafka(ClusterSecurity security, String user) {
      return security.kafkaSettings(user, password);
    }
  }
}
