package io.taskpool.coordinator.internal;

import io.taskpool.coordinator.HostStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A coordinator without Redis: the only host, always its own leader. */
public final class SoloMembership implements Membership {
  private final String host;
  private Map<String, Integer> plan = Map.of();

  public SoloMembership(String host) {
    this.host = host;
  }

  @Override
  public List<HostStatus> heartbeat(HostStatus self) {
    return List.of(self);
  }

  @Override
  public boolean lead() {
    return true;
  }

  @Override
  public boolean publish(Map<String, Integer> quotas) {
    plan = Map.copyOf(quotas);
    return true;
  }

  @Override
  public OptionalInt quota(String host) {
    Integer quota = plan.get(host);
    return quota == null ? OptionalInt.empty() : OptionalInt.of(quota);
  }

  @Override
  public Optional<String> leader() {
    return Optional.of(host);
  }

  @Override
  public void close() {}
}
