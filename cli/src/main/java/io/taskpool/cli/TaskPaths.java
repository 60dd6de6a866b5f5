package io.taskpool.cli;

import io.taskpool.core.EnvironmentVariables;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** {@code --tasks} paths as one setting: absolute, separated as a class path. */
final class TaskPaths {
  private TaskPaths() {}

  static String join(List<Path> paths) {
    return paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.joining(File.pathSeparator));
  }

  /** The paths in {@code TASKPOOL_TASKS}, or none. */
  static List<Path> fromEnvironment() {
    String value = System.getenv(EnvironmentVariables.TASKS);
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(File.pathSeparator)).filter(p -> !p.isBlank()).map(p -> Path.of(p.trim())).toList();
  }
}
