package io.taskpool.testkit.internal;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Broker settings for test clusters: quick group joins, short share-group timeouts, topics made
 * explicitly.
 */
final class BrokerConfigs {
  private BrokerConfigs() {}

  /**
   * One node that is broker and controller, listening on {@code listenHost} and advertising {@code
   * advertisedHost}.
   */
  static Properties singleNode(
      String listenHost, String advertisedHost, int brokerPort, int controllerPort, Path dataDir) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put(
        "listeners",
        "PLAINTEXT://"
            + listenHost
            + ":"
            + brokerPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + advertisedHost + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "2");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "2");
    // Share groups: let tests set record locks of a second or two (the broker's floor is 15 s).
    p.put("group.share.min.record.lock.duration.ms", "1000");
    // ...and notice a killed share consumer within seconds rather than the default 45 s.
    p.put("group.share.min.session.timeout.ms", "3000");
    p.put("group.share.session.timeout.ms", "6000");
    p.put("group.share.min.heartbeat.interval.ms", "500");
    p.put("group.share.heartbeat.interval.ms", "1000");
    // Without this every first group join waits 3 s.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created explicitly: a reply to a closed client must not resurrect its topic.
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    return p;
  }

  /**
   * Node {@code nodeId} of a replicated cluster whose controllers are {@code voters} ({@code
   * id@host:port,...}): every topic, the offsets topic, the transaction log and the share-group
   * state topic on 3 replicas with 2 in sync required, as production clusters run.
   */
  static Properties replicatedNode(
      int nodeId, int brokerPort, int controllerPort, String voters, Path dataDir) {
    Properties p = singleNode("127.0.0.1", "127.0.0.1", brokerPort, controllerPort, dataDir);
    p.put("node.id", String.valueOf(nodeId));
    p.remove("controller.quorum.bootstrap.servers");
    p.put("controller.quorum.voters", voters);
    p.put("default.replication.factor", "3");
    p.put("min.insync.replicas", "2");
    p.put("offsets.topic.replication.factor", "3");
    p.put("transaction.state.log.replication.factor", "3");
    p.put("transaction.state.log.min.isr", "2");
    p.put("share.coordinator.state.topic.replication.factor", "3");
    p.put("share.coordinator.state.topic.min.isr", "2");
    return p;
  }

  /**
   * One node whose client listener {@code SECURE} is SASL_SSL with SCRAM-SHA-512 and whose ACLs are
   * enforced (StandardAuthorizer, nothing allowed without an ACL); {@code INTERNAL}, plaintext on
   * loopback, carries inter-broker traffic and the test kit's admin calls as the super user.
   */
  static Properties secured(
      int securePort, int internalPort, int controllerPort, Path dataDir, TestCertificates certs) {
    Properties p = singleNode("127.0.0.1", "127.0.0.1", internalPort, controllerPort, dataDir);
    p.put(
        "listeners",
        "SECURE://127.0.0.1:"
            + securePort
            + ",INTERNAL://127.0.0.1:"
            + internalPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort);
    p.put(
        "advertised.listeners",
        "SECURE://localhost:" + securePort + ",INTERNAL://127.0.0.1:" + internalPort);
    p.put(
        "listener.security.protocol.map",
        "SECURE:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "INTERNAL");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(
        "listener.name.secure.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("listener.name.secure.ssl.keystore.type", "PKCS12");
    p.put("listener.name.secure.ssl.keystore.location", certs.serverKeystore().toString());
    p.put("listener.name.secure.ssl.keystore.password", certs.password());
    p.put("listener.name.secure.ssl.key.password", certs.password());
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("allow.everyone.if.no.acl.found", "false");
    // The plaintext loopback listeners (inter-broker, controller, the test kit) act as super user.
    p.put("super.users", "User:ANONYMOUS");
    return p;
  }
}
