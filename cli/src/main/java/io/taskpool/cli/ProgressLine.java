package io.taskpool.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The progress of a running {@code map} on stderr: one line, redrawn four times a second ({@code
 * 12,000 of 300,000 done, 48,210/s, ETA 6s}). Results on stdout and messages on stderr go through
 * it (it only passes them on until {@link #start}), so when both streams are the same terminal the
 * line is cleared before they are written and drawn again afterwards: the results never mix with
 * it.
 */
final class ProgressLine implements AutoCloseable {
  private static final String CLEAR_LINE = "\r\033[K";
  private static final long REDRAW_MILLIS = 250;

  private final PrintWriter out;
  private final PrintWriter err;
  private final LongSupplier done;
  private final long startNanos = System.nanoTime();
  private LongSupplier total;
  private ScheduledExecutorService redraw;
  private boolean shown;

  ProgressLine(PrintWriter out, PrintWriter err, LongSupplier done) {
    this.out = out;
    this.err = err;
    this.done = done;
  }

  /** Starts drawing the line; {@code total} gives the input count once known, else -1. */
  void start(LongSupplier total) {
    this.total = total;
    redraw =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "taskpool-progress");
              t.setDaemon(true);
              return t;
            });
    redraw.scheduleWithFixedDelay(this::draw, REDRAW_MILLIS, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * True when stderr is a terminal, whatever stdin and stdout are ({@code System.console()} asks
   * about those two). Linux names the terminal behind file descriptor 2; elsewhere this says no.
   */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Prints one result line on stdout. */
  synchronized void result(String line) {
    clear();
    out.println(line);
  }

  /** Prints one message line on stderr. */
  synchronized void message(String line) {
    clear();
    out.flush();
    err.println(line);
    err.flush();
  }

  /** Stops redrawing; leaves the final figures on a line of their own. */
  @Override
  public void close() {
    if (redraw == null) {
      out.flush();
      return;
    }
    redraw.shutdownNow();
    synchronized (this) {
      out.flush();
      long millis = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
      err.print(
          CLEAR_LINE
              + String.format(
                  Locale.ROOT,
                  "%,d done in %.1f s, %,d/s",
                  done.getAsLong(),
                  millis / 1000.0,
                  done.getAsLong() * 1000 / millis));
      err.println();
      err.flush();
      shown = false;
    }
  }

  private synchronized void draw() {
    out.flush();
    err.print(
        CLEAR_LINE
            + text(done.getAsLong(), total.getAsLong(), (System.nanoTime() - startNanos) / 1e9));
    err.flush();
    shown = true;
  }

  private void clear() {
    if (shown) {
      err.print(CLEAR_LINE);
      err.flush();
      shown = false;
    }
  }

  /** The line for {@code done} of {@code total} (-1: unknown) after {@code seconds}. */
  static String text(long done, long total, double seconds) {
    long rate = seconds > 0 ? (long) (done / seconds) : 0;
    if (total < 0) {
      return String.format(Locale.ROOT, "%,d done, %,d/s", done, rate);
    }
    String eta = rate > 0 ? ", ETA " + clock(Math.max(0, (total - done + rate - 1) / rate)) : "";
    return String.format(Locale.ROOT, "%,d of %,d done, %,d/s%s", done, total, rate, eta);
  }

  /** 9s, 1m09s, 2h05m. */
  private static String clock(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
  }
}
