package io.taskpool.testkit.internal;

/**
 * A service someone else runs (from TASKPOOL_KAFKA_BOOTSTRAP / TASKPOOL_REDIS_URL); never stopped
 * here.
 */
public record ExternalService(String address, String kind) implements Service {
  @Override
  public String describe() {
    return "external " + kind + " at " + address;
  }

  @Override
  public void close() {}
}
