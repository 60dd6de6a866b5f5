package io.taskpool.core;

/**
 * The Kafka cluster lacks a feature the chosen mode needs (share groups for SHARED, ...); the
 * message names the feature, the version the cluster reports and what to do instead.
 */
public final class UnsupportedClusterException extends TaskpoolException {
  private static final long serialVersionUID = 1L;

  public UnsupportedClusterException(String message) {
    super(message);
  }
}
