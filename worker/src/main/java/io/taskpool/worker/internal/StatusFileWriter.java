package io.taskpool.worker.internal;

import io.taskpool.worker.StatusFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a supervising coordinator how many tasks this worker finished: rewrites one small file
 * ({@code tasks.done=N}) every second, atomically, so a reader never sees half a line. A file keeps
 * the worker free of any server socket and the coordinator free of polling each worker over the
 * net.
 */
public final class StatusFileWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusFileWriter.class);

  private final Path file;
  private final LongSupplier tasksDone;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "taskpool-status-file");
            t.setDaemon(true);
            return t;
          });

  public StatusFileWriter(Path file, LongSupplier tasksDone) {
    this.file = file;
    this.tasksDone = tasksDone;
    timer.scheduleWithFixedDelay(this::write, 0, 1, TimeUnit.SECONDS);
  }

  private void write() {
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(
          temp, StatusFile.TASKS_DONE + tasksDone.getAsLong() + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.debug("cannot write status file {}: {}", file, e.getMessage());
    }
  }

  /** Writes the final count and stops. */
  @Override
  public void close() {
    timer.shutdownNow();
    write();
  }
}
