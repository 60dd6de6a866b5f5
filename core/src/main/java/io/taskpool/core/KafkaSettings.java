package io.taskpool.core;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How to reach a Kafka cluster: bootstrap servers plus any client properties, passed to every
 * producer, consumer and admin client untouched so TLS, SASL and other auth settings of an existing
 * cluster just work. Immutable.
 *
 * <p>{@code KafkaSettings.of("broker:9092").with("security.protocol", "SASL_SSL")}
 */
public final class KafkaSettings {
  /** Prefix of pass-through client properties in a flat properties file or environment. */
  public static final String PASS_THROUGH_PREFIX = "kafka.";

  private final String bootstrapServers;
  private final Map<String, String> clientProperties;

  private KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new InvalidOptionException("bootstrap.servers must not be empty");
    }
    this.bootstrapServers = bootstrapServers;
    this.clientProperties = Map.copyOf(clientProperties);
  }

  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of());
  }

  /**
   * Reads {@code bootstrap.servers} (or {@code kafka.bootstrap.servers}) and every {@code kafka.*}
   * property, dropping the prefix.
   */
  public static KafkaSettings fromProperties(Properties properties) {
    Map<String, String> passThrough = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith(PASS_THROUGH_PREFIX)) {
        passThrough.put(key.substring(PASS_THROUGH_PREFIX.length()), properties.getProperty(key));
      }
    }
    String bootstrap =
        properties.getProperty("bootstrap.servers", passThrough.get("bootstrap.servers"));
    passThrough.remove("bootstrap.servers");
    return new KafkaSettings(bootstrap, passThrough);
  }

  /** A copy with one more pass-through client property. */
  public KafkaSettings with(String key, String value) {
    Map<String, String> copy = new TreeMap<>(clientProperties);
    copy.put(key, value);
    return new KafkaSettings(bootstrapServers, copy);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Map<String, String> clientProperties() {
    return clientProperties;
  }

  /**
   * Client properties for one Kafka client: taskpool's {@code defaults} first, then the user's
   * pass-through properties, which win, then the bootstrap servers.
   */
  public Properties clientConfig(Map<String, ?> defaults) {
    Properties config = new Properties();
    config.putAll(defaults);
    config.putAll(clientProperties);
    config.put("bootstrap.servers", bootstrapServers);
    return config;
  }

  @Override
  public String toString() {
    // Pass-through values may hold passwords (sasl.jaas.config): print the keys only.
    return "KafkaSettings{bootstrap.servers="
        + bootstrapServers
        + ", passThrough="
        + clientProperties.keySet()
        + "}";
  }
}
