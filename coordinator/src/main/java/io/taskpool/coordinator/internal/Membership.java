package io.taskpool.coordinator.internal;

import io.taskpool.coordinator.HostStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The coordinators of one queue and who decides for them. Alone ({@link SoloMembership}) a host is
 * its own leader; with Redis ({@link RedisMembership}) hosts register with a heartbeat, one holds
 * the leader lock and publishes per-host quotas with its fencing token. All calls come from the
 * coordinator's single loop thread (the leader lock belongs to that thread).
 */
public interface Membership extends AutoCloseable {
  /** Announces this host and returns every live host, this one included. */
  List<HostStatus> heartbeat(HostStatus self);

  /** True if this host leads now (taking the lead when no one has it). */
  boolean lead();

  /**
   * Publishes the leader's plan; returns false if this host turned out not to be the leader any
   * more.
   */
  boolean publish(Map<String, Integer> quotas);

  /** This host's quota in the newest plan, if it has one yet. */
  OptionalInt quota(String host);

  /** The host that published the newest plan. */
  Optional<String> leader();

  /** Leaves: removes this host's registration and hands the lead on at once. */
  @Override
  void close();
}
