package io.taskpool.producer;

import io.taskpool.core.InvalidOptionException;
import java.time.Duration;
import java.util.Optional;

/**
 * Per-call settings of {@code map}, {@code imap}, {@code imapUnordered} and {@code starmap}.
 *
 * <ul>
 *   <li>{@code chunkSize}: inputs per Kafka record. {@link #AUTO} (the default of {@code map} and
 *       {@code starmap}) picks it as Python's {@code Pool.map} does, from the input count and the
 *       task topic's partitions; {@code imap} defaults to 1, as in Python.
 *   <li>{@code timeout}: limit for the whole call; on expiry the call throws {@link
 *       io.taskpool.core.TaskTimeoutException} and forgets the outstanding tasks.
 *   <li>{@code idleTimeout}: limit on the wait for the next result (any result, in whatever order
 *       they come): a map nobody serves fails after it, however long the whole map may run;
 *       default: the client's {@code timeout} (1 hour unless set), unless {@code timeout} is set.
 *   <li>{@code window}: tasks in flight (sent, not yet handed to the caller); default the client's.
 *   <li>{@code progress}: called after each completed chunk with (done, total); total is -1 for an
 *       input of unknown size.
 * </ul>
 */
public final class MapOptions {
  /** Let taskpool choose the chunk size. */
  public static final int AUTO = 0;

  private static final MapOptions DEFAULTS = builder().build();

  private final int chunkSize;
  private final Duration timeout;
  private final Duration idleTimeout;
  private final Integer window;
  private final ProgressListener progress;

  private MapOptions(Builder b) {
    this.chunkSize = b.chunkSize;
    this.timeout = b.timeout;
    this.idleTimeout = b.idleTimeout;
    this.window = b.window;
    this.progress = b.progress;
  }

  public static MapOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static MapOptions chunkSize(int chunkSize) {
    return builder().chunkSize(chunkSize).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.chunkSize = chunkSize;
    b.timeout = timeout;
    b.idleTimeout = idleTimeout;
    b.window = window;
    b.progress = progress;
    return b;
  }

  public MapOptions validate() {
    if (chunkSize < 0) {
      throw new InvalidOptionException("chunkSize must be >= 1 or AUTO (0), was " + chunkSize);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new InvalidOptionException("timeout must be positive, was " + timeout);
    }
    if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
      throw new InvalidOptionException("idleTimeout must be positive, was " + idleTimeout);
    }
    if (window != null && window < 1) {
      throw new InvalidOptionException("window must be >= 1, was " + window);
    }
    return this;
  }

  public int chunkSize() {
    return chunkSize;
  }

  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public Optional<Duration> idleTimeout() {
    return Optional.ofNullable(idleTimeout);
  }

  public Optional<Integer> window() {
    return Optional.ofNullable(window);
  }

  public ProgressListener progress() {
    return progress;
  }

  /** Receives progress of a running map; called from taskpool's reply thread, so keep it quick. */
  @FunctionalInterface
  public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {};

    void onProgress(long done, long total);
  }

  /** Builder of {@link MapOptions}. */
  public static final class Builder {
    private int chunkSize = AUTO;
    private Duration timeout;
    private Duration idleTimeout;
    private Integer window;
    private ProgressListener progress = ProgressListener.NONE;

    private Builder() {}

    public Builder chunkSize(int chunkSize) {
      this.chunkSize = chunkSize;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Fails the call when no result arrives for this long (see the class comment). */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder window(int window) {
      this.window = window;
      return this;
    }

    public Builder onProgress(ProgressListener progress) {
      this.progress = progress;
      return this;
    }

    public MapOptions build() {
      return new MapOptions(this).validate();
    }
  }
}
