package io.taskpool.coordinator;

/**
 * One recent record of the queue's dead-letter topic: a failed task ({@code kind} {@code task}), an
 * undelivered reply ({@code reply}) or a reference to an oversized task ({@code reference}).
 */
public record DeadLetterSummary(
    long offset,
    long epochMillis,
    String kind,
    String task,
    String id,
    String errorType,
    String errorMessage) {}
