package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.taskpool.core.EnvironmentVariables;
import io.taskpool.core.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine here, so the recipes under deploy/ cannot run; this keeps them from drifting
 * from the code: every YAML parses, every TASKPOOL_* variable is one the code reads, images and
 * topic/group names match, and the commands they run exist.
 */
class DeployRecipesTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String IMAGE = "taskpool/taskpool:0.1.0";

  @Test
  void everyYamlFileParses() throws IOException {
    assertThat(yamlFiles()).isNotEmpty();
    for (Path file : yamlFiles()) {
      assertThat(documents(file)).as(file.toString()).isNotEmpty();
    }
  }

  @Test
  void everyTaskpoolVariableTheRecipesSetIsOneTheCodeReads() throws IOException {
    List<String> names = new ArrayList<>();
    for (Path file : yamlFiles()) {
      for (JsonNode document : documents(file)) {
        collectVariableNames(document, names);
      }
    }
    assertThat(names)
        .isNotEmpty()
        .allSatisfy(name -> assertThat(EnvironmentVariables.ALL).contains(name));
  }

  @Test
  void composeRunsTheProjectImageAndTheBrokerLineOfTheClientsReachableFromTheHostToo()
      throws IOException {
    JsonNode services =
        documents(DEPLOY.resolve("compose/docker-compose.yml")).get(0).get("services");
    JsonNode kafka = services.get("kafka");
    assertThat(kafka.get("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    assertThat(kafka.get("ports").get(0).asText()).isEqualTo("9092:9092");
    // Two listeners: containers reach kafka:19092, the host localhost:9092 (the published port)
    assertThat(kafka.at("/environment/KAFKA_ADVERTISED_LISTENERS").asText())
        .isEqualTo("INTERNAL://kafka:19092,EXTERNAL://localhost:9092");
    assertThat(
            kafka
                .at("/environment/KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR")
                .asText())
        .isEqualTo("1");
    assertThat(services.get("redis").get("ports").get(0).asText())
        .as("not 6379, which a host Redis often holds")
        .isEqualTo("6380:6379");
    for (String service : List.of("kafka", "redis", "worker-host-a", "worker-host-b")) {
      assertThat(services.get(service).get("healthcheck")).as(service).isNotNull();
      assertThat(services.get(service).get("restart").asText())
          .as(service)
          .isEqualTo("unless-stopped");
    }
    for (String host : List.of("worker-host-a", "worker-host-b")) {
      JsonNode worker = services.get(host);
      assertThat(worker.get("image").asText()).isEqualTo(IMAGE);
      assertThat(worker.at("/build/dockerfile").asText())
          .as(host)
          .isEqualTo("deploy/docker/Dockerfile");
      assertThat(subcommands()).contains(worker.get("command").get(0).asText());
      assertThat(worker.get("environment").get(EnvironmentVariables.KAFKA_BOOTSTRAP).asText())
          .isEqualTo("kafka:19092");
      assertThat(worker.get("environment").get(EnvironmentVariables.REDIS_URL).asText())
          .isEqualTo("redis://redis:6379");
      assertThat(worker.at("/depends_on/kafka/condition").asText()).isEqualTo("service_healthy");
    }
  }

  @Test
  void kubernetesRecipesUseTheImageTheCommandAndTheTopicNamesOfTheCode() throws IOException {
    for (String file : List.of("k8s/workers.yaml", "k8s/coordinator.yaml")) {
      JsonNode container =
          documents(DEPLOY.resolve(file)).get(0).at("/spec/template/spec/containers/0");
      assertThat(container.get("image").asText()).as(file).isEqualTo(IMAGE);
      assertThat(subcommands()).as(file).contains(container.get("args").get(0).asText());
    }
    JsonNode coordinator =
        documents(DEPLOY.resolve("k8s/coordinator.yaml"))
            .get(0)
            .at("/spec/template/spec/containers/0");
    assertThat(coordinator.at("/ports/0/containerPort").asInt()).isEqualTo(8085);
    assertThat(coordinator.get("args").toString()).contains("\"--status-port\",\"8085\"");
    assertThat(coordinator.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(coordinator.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");

    JsonNode trigger =
        documents(DEPLOY.resolve("k8s/keda-scaledobject.yaml"))
            .get(0)
            .at("/spec/triggers/0/metadata");
    assertThat(trigger.get("topic").asText()).isEqualTo(Namespace.DEFAULT.taskTopic("default"));
    assertThat(trigger.get("consumerGroup").asText())
        .isEqualTo(Namespace.DEFAULT.workerGroup("default"));
  }

  @Test
  void theSystemdUnitsRunCommandsThatExistWithTheProjectsEnvironmentFile() throws IOException {
    String worker = Files.readString(DEPLOY.resolve("systemd/taskpool-worker@.service"));
    assertThat(worker)
        .contains("taskpool.jar worker")
        .contains("EnvironmentFile=/etc/taskpool/env")
        .contains("KillSignal=SIGTERM");
    String coordinator = Files.readString(DEPLOY.resolve("systemd/taskpool-coordinator.service"));
    assertThat(coordinator)
        .contains("taskpool.jar coordinator")
        .contains("EnvironmentFile=/etc/taskpool/env")
        .contains("KillSignal=SIGTERM");
    assertThat(subcommands()).contains("worker", "coordinator");
    assertThat(worker).contains("--tasks /opt/taskpool/tasks");
    assertThat(coordinator).contains("--tasks /opt/taskpool/tasks");
  }

  @Test
  void theImageIsTheServerDistributionWithATasksDirectory() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
    assertThat(dockerfile)
        .contains("-pl cli,examples -am package")
        .contains("/src/cli/target/lib /opt/taskpool/lib")
        .doesNotContain("devtools");
    assertThat(dockerfile)
        .contains("/opt/taskpool/tasks/")
        .contains("ENV " + EnvironmentVariables.TASKS + "=/opt/taskpool/tasks");
  }

  private static List<String> subcommands() {
    return new ArrayList<>(TaskpoolCli.commandLine().getSubcommands().keySet());
  }

  private static void collectVariableNames(JsonNode node, List<String> names) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().startsWith("TASKPOOL_")) {
          names.add(field.getKey());
        }
        collectVariableNames(field.getValue(), names);
      }
    } else if (node.isArray()) {
      node.forEach(element -> collectVariableNames(element, names));
    }
  }

  private static List<Path> yamlFiles() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files
          .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return docs.readAll();
    }
  }
}
