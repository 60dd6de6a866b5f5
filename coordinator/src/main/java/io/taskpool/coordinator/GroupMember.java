package io.taskpool.coordinator;

/**
 * A member of the queue's consumer group (or share group) as the brokers describe it; {@code
 * coordinator} is the host id of the coordinator that runs it, or null for a worker started some
 * other way (a plain {@code taskpool worker}, an embedded {@code Worker}).
 */
public record GroupMember(String clientId, String host, int partitions, String coordinator) {}
