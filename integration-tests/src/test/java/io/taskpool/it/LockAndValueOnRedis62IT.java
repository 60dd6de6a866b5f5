package io.taskpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskpool.testkit.ClusterSpec;
import io.taskpool.testkit.LocalCluster;
import io.taskpool.testkit.LocalCluster.KafkaRelease;
import io.taskpool.testkit.LocalCluster.RedisRelease;
import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * {@link LockAndValueIT} against the Redis 6.2 binary embedded-redis ships (the system's is 7.x),
 * on the compatibility suite's cluster (its Kafka is 3.9). In the {@code matrix} group: run by
 * {@code -Ptopology} (and so by CI), not by the plain verify.
 */
@Tag("matrix")
@ClusterSpec(kafka = KafkaRelease.V3_9, redis = RedisRelease.V6_2)
class LockAndValueOnRedis62IT extends LockAndValueIT {
  @Test
  void theRedisServerIs62(LocalCluster cluster) {
    try (Jedis jedis = new Jedis(URI.create(cluster.redisUrl()))) {
      assertThat(jedis.info("server")).contains("redis_version:6.2.");
    }
  }
}
