package io.taskpool.coordinator;

/** One supervised worker process as the status page shows it. */
public record WorkerStatus(String id, long pid, long uptimeSeconds, long tasksDone, String state) {}
