package io.taskpool.coordinator;

/**
 * One task name's counts on this host's workers (from their metrics), with the rates since the
 * coordinator's previous cycle.
 */
public record TaskStats(
    String task,
    long succeeded,
    long failed,
    long deadLettered,
    long retried,
    double succeededPerSecond,
    double failedPerSecond) {}
