package io.taskpool.testkit;

import io.taskpool.core.KafkaSettings;
import io.taskpool.core.redis.RedisSettings;
import io.taskpool.testkit.internal.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Users, ACLs and TLS trust of a secured test cluster ({@code @ClusterSpec(secured = true)}): Kafka
 * speaks SASL_SSL with SCRAM-SHA-512 and enforces ACLs (nothing allowed unless granted); Redis
 * speaks TLS only and lets in only ACL users. Certificates come from a throw-away CA made at start.
 */
public final class ClusterSecurity {
  private final String kafkaBootstrap;
  private final String kafkaAdminBootstrap;
  private final InetSocketAddress redis;
  private final String redisAdminPassword;
  private final TestCertificates certificates;

  ClusterSecurity(
      String kafkaBootstrap,
      String kafkaAdminBootstrap,
      InetSocketAddress redis,
      String redisAdminPassword,
      TestCertificates certificates) {
    this.kafkaBootstrap = kafkaBootstrap;
    this.kafkaAdminBootstrap = kafkaAdminBootstrap;
    this.redis = redis;
    this.redisAdminPassword = redisAdminPassword;
    this.certificates = certificates;
  }

  /** Creates (or re-keys) a SCRAM-SHA-512 Kafka user through the Admin API. */
  public void createKafkaUser(String user, String password) {
    try (Admin admin = admin()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create Kafka user " + user, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Lets {@code user} do {@code operations} on every {@code type} resource whose name starts with
   * {@code prefix}.
   */
  public void allowPrefixed(
      String user, ResourceType type, String prefix, AclOperation... operations) {
    List<AclBinding> bindings =
        Arrays.stream(operations)
            .map(
                op ->
                    new AclBinding(
                        new ResourcePattern(type, prefix, PatternType.PREFIXED),
                        new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)))
            .toList();
    try (Admin admin = admin()) {
      admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create ACLs for " + user, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** How {@code user} reaches Kafka: SASL_SSL, SCRAM-SHA-512, the test CA as PEM truststore. */
  public KafkaSettings kafkaSettings(String user, String password) {
    return KafkaSettings.of(kafkaBootstrap)
        .with("security.protocol", "SASL_SSL")
        .with("sasl.mechanism", "SCRAM-SHA-512")
        .with(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";")
        .with("ssl.truststore.type", "PEM")
        .with("ssl.truststore.location", certificates.caPem().toString());
  }

  /**
   * Creates a Redis ACL user that may touch only keys starting with {@code keyPrefix} (and
   * Redisson's lock channels), with every command but the dangerous ones.
   */
  public void createRedisUser(String user, String password, String keyPrefix) {
    DefaultJedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .ssl(true)
            .sslSocketFactory(certificates.socketFactory())
            .user("admin")
            .password(redisAdminPassword)
            .build();
    try (Jedis jedis = new Jedis(new HostAndPort(redis.getHostString(), redis.getPort()), config)) {
      jedis.aclSetUser(
          user, "reset", "on", ">" + password, "~" + keyPrefix + "*", "&*", "+@all", "-@dangerous");
    }
  }

  /** How {@code user} reaches Redis: {@code rediss://}, trusting the test CA. */
  public RedisSettings redisSettings(String user, String password) {
    return RedisSettings.fromUrl(
            "rediss://"
                + user
                + ":"
                + password
                + "@"
                + redis.getHostString()
                + ":"
                + redis.getPort())
        .withTruststore(certificates.truststore(), certificates.password());
  }

  /** The test CA certificate (PEM), e.g. for {@code kafka.ssl.truststore.location}. */
  public Path caCertificate() {
    return certificates.caPem();
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaAdminBootstrap));
  }
}
