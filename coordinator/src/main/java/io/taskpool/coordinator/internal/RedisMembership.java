package io.taskpool.coordinator.internal;

import io.taskpool.coordinator.HostStatus;
import io.taskpool.core.Namespace;
import io.taskpool.core.json.JsonCodec;
import io.taskpool.core.redis.LuaScript;
import io.taskpool.core.redis.RedisErrors;
import io.taskpool.core.redis.RedisSync;
import io.taskpool.core.sync.FencedMap;
import io.taskpool.core.sync.LockHandle;
import io.taskpool.core.sync.StaleLockException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coordinators of one queue meeting in Redis. Each host's report is a key that expires after the
 * heartbeat TTL, so a dead or cut-off host drops out by itself. The leader is whoever holds the
 * Redisson lock {@code coord.<queue>} (watchdog renewed, watchdog timeout = TTL, so a dead leader
 * is replaced within a TTL); it publishes the plan as a {@link FencedMap}, which refuses a former
 * leader that was paused past its lease. Keys: {@code
 * <ns>:{coord.<queue>}:hosts|host:<id>|lock|map|accepted}.
 */
public final class RedisMembership implements Membership {
  private static final Logger log = LoggerFactory.getLogger(RedisMembership.class);
  private static final String LEADER_FIELD = "@leader";
  private static final String HEARTBEAT =
      LuaScript.load(RedisMembership.class, "host_heartbeat.lua").source();

  private final RedisSync redis;
  private final JsonCodec json = new JsonCodec();
  private final FencedMap plan;
  private final String hostsKey;
  private final String hostKeyPrefix;
  private final String self;
  private final Duration ttl;
  private LockHandle leadership;
  private Map<String, String> lastPlan = Map.of();

  public RedisMembership(
      RedisSync redis, Namespace namespace, String queue, String self, Duration ttl) {
    this.redis = redis;
    this.self = self;
    this.ttl = ttl;
    String group = "coord." + queue;
    this.plan = redis.fencedMap(group);
    String tag = "{" + group + "}";
    this.hostsKey = namespace.redisKey(tag, "hosts");
    this.hostKeyPrefix = namespace.redisKey(tag, "host") + ":";
  }

  /**
   * Registers this host for a TTL and returns the live hosts' reports, this host's first. Hosts
   * that joined since the member set was read show up at the next heartbeat.
   */
  @Override
  public List<HostStatus> heartbeat(HostStatus status) {
    // The script may touch only keys passed in KEYS (Redis Cluster routes by them, ACLs check
    // them), so the members whose reports it reads are read first, in a round trip of their own.
    List<String> members;
    try {
      members =
          List.copyOf(redis.redisson().<String>getSet(hostsKey, StringCodec.INSTANCE).readAll());
    } catch (RuntimeException e) {
      throw RedisErrors.operationFailure("read the hosts of", hostsKey, e);
    }
    List<Object> keys = new ArrayList<>(members.size() + 2);
    keys.add(hostsKey);
    keys.add(hostKeyPrefix + self);
    List<Object> args = new ArrayList<>(members.size() + 3);
    args.add(self);
    args.add(new String(json.encode(status), StandardCharsets.UTF_8));
    args.add(String.valueOf(ttl.toMillis()));
    for (String member : members) {
      keys.add(hostKeyPrefix + member);
      args.add(member);
    }
    List<Object> reports;
    try {
      reports =
          redis
              .redisson()
              .getScript(StringCodec.INSTANCE)
              .eval(
                  RScript.Mode.READ_WRITE,
                  HEARTBEAT,
                  RScript.ReturnType.LIST,
                  keys,
                  args.toArray());
    } catch (RuntimeException e) {
      throw RedisErrors.operationFailure("heartbeat in", hostsKey, e);
    }
    List<HostStatus> live = new ArrayList<>();
    for (Object report : reports) {
      live.add(json.decode(((String) report).getBytes(StandardCharsets.UTF_8), HostStatus.class));
    }
    lastPlan = plan.read();
    return live;
  }

  @Override
  public boolean lead() {
    if (leadership == null) {
      leadership = plan.lock().tryAcquire(Duration.ZERO).orElse(null);
      if (leadership != null) {
        log.info("host {} is now the leader (token {})", self, leadership.token());
      }
    }
    return leadership != null;
  }

  @Override
  public boolean publish(Map<String, Integer> quotas) {
    Map<String, String> entries = new LinkedHashMap<>();
    quotas.forEach((host, quota) -> entries.put(host, String.valueOf(quota)));
    entries.put(LEADER_FIELD, self);
    try {
      plan.replace(leadership, entries);
      lastPlan = entries;
      return true;
    } catch (StaleLockException lost) {
      log.warn("host {} lost the lead: {}", self, lost.getMessage());
      dropLeadership();
      return false;
    }
  }

  @Override
  public OptionalInt quota(String host) {
    String quota = lastPlan.get(host);
    return quota == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(quota));
  }

  @Override
  public Optional<String> leader() {
    return Optional.ofNullable(lastPlan.get(LEADER_FIELD));
  }

  @Override
  public void close() {
    try {
      redis.redisson().getBucket(hostKeyPrefix + self).delete();
      redis.redisson().getSet(hostsKey, StringCodec.INSTANCE).remove(self);
    } catch (RuntimeException e) {
      log.warn(
          "host {} could not deregister (its heartbeat expires by itself): {}",
          self,
          e.getMessage());
    }
    dropLeadership();
  }

  private void dropLeadership() {
    if (leadership != null) {
      try {
        leadership.close();
      } catch (RuntimeException alreadyGone) {
        // The lease ran out already: nothing to hand on.
      }
      leadership = null;
    }
  }
}
