package io.taskpool.cli;

import io.taskpool.core.EnvironmentVariables;
import io.taskpool.worker.TaskJars;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** {@code --tasks} paths as one setting: absolute, separated as a class path. */
final class TaskPaths {
  private TaskPaths() {}

  static String join(List<Path> paths) {
    return paths.stream()
        .map(p -> p.toAbsolutePath().normalize().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The paths in {@code TASKPOOL_TASKS}, or none. */
  static List<Path> fromEnvironment() {
    return TaskJars.parse(System.getenv(EnvironmentVariables.TASKS));
  }
}
