package io.taskpool.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small file a worker started with {@code status.file} rewrites every second ({@code
 * tasks.done=N}, replaced atomically), for the coordinator that supervises it.
 */
public final class StatusFile {
  /** The line's key. */
  public static final String TASKS_DONE = "tasks.done=";

  private StatusFile() {}

  /** The count a status file holds, or 0 if it is missing or unreadable. */
  public static long tasksDone(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      return text.startsWith(TASKS_DONE) ? Long.parseLong(text.substring(TASKS_DONE.length())) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
