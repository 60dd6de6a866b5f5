package io.taskpool.worker.spi;

/** What became of a delivered task, as its source needs to know it. */
public enum Acknowledgement {
  /** Done: its result (if any) was sent. */
  PROCESSED,
  /** Failed for good and written to the dead-letter topic. */
  DEAD_LETTERED,
  /** Not run (the worker is draining): hand it to someone else. */
  RELEASED
}
