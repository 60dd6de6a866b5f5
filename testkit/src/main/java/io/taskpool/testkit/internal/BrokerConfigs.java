package io.taskpool.testkit.internal;

import java.nio.file.Path;
import java.util.Properties;

/** Broker settings for test clusters: quick group joins, short share-group timeouts, topics made explicitly. */
final class BrokerConfigs {
  private BrokerConfigs() {}

  /** One node that is broker and controller, listening on {@code listenHost} and advertising {@code advertisedHost}. */
  static Properties singleNode(String listenHost, String advertisedHost, int brokerPort, int controllerPort, Path dataDir) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("listeners", "PLAINTEXT://" + listenHost + ":" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
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
}
