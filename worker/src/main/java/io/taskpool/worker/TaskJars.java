package io.taskpool.worker;

import io.taskpool.core.InvalidOptionException;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The user's task code: jars (or directories of jars) named with {@code --tasks}, loaded in a class
 * loader of their own whose parent is taskpool's, so task code sees taskpool's API and brings its
 * own dependencies. Each jar must declare at least one {@link TaskModule} in {@code
 * META-INF/services/io.taskpool.worker.TaskModule}; a missing path or a jar without one is an
 * {@link InvalidOptionException} naming it.
 */
public final class TaskJars {
  static final String SERVICE_FILE = "META-INF/services/" + TaskModule.class.getName();

  private TaskJars() {}

  /**
   * The paths of a {@code tasks} setting: separated by the platform's path separator, as a class
   * path.
   */
  public static List<Path> parse(String setting) {
    if (setting == null || setting.isBlank()) {
      return List.of();
    }
    return Arrays.stream(setting.split(File.pathSeparator))
        .filter(p -> !p.isBlank())
        .map(p -> Path.of(p.trim()))
        .toList();
  }

  /**
   * The jars {@code paths} name: each a jar, or a directory whose {@code *.jar} files are taken.
   */
  public static List<Path> resolve(List<Path> paths) {
    List<Path> jars = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new InvalidOptionException("--tasks " + path + ": no such file or directory");
      }
      if (Files.isDirectory(path)) {
        List<Path> inside = jarsIn(path);
        if (inside.isEmpty()) {
          throw new InvalidOptionException(
              "--tasks " + path + ": the directory holds no .jar file");
        }
        jars.addAll(inside);
      } else {
        jars.add(path);
      }
    }
    return jars;
  }

  /**
   * A class loader over {@code paths} whose parent is {@code parent}, after checking that every jar
   * given directly declares a {@link TaskModule} (a directory may also hold the modules'
   * dependencies; at least one of its jars must declare one).
   */
  public static ClassLoader loader(List<Path> paths, ClassLoader parent) {
    List<URL> urls = new ArrayList<>();
    for (Path path : paths) {
      List<Path> jars = resolve(List.of(path));
      boolean declares = false;
      for (Path jar : jars) {
        declares |= declaresTaskModule(jar);
        urls.add(url(jar));
      }
      if (!declares) {
        throw new InvalidOptionException(
            "--tasks "
                + path
                + ": no "
                + SERVICE_FILE
                + " entry (a jar of task code lists its TaskModule classes there)");
      }
    }
    return new URLClassLoader("taskpool-tasks", urls.toArray(URL[]::new), parent);
  }

  private static boolean declaresTaskModule(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getEntry(SERVICE_FILE) != null;
    } catch (IOException e) {
      throw new InvalidOptionException(
          "--tasks " + jar + ": not a readable jar (" + e.getMessage() + ")");
    }
  }

  private static List<Path> jarsIn(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new InvalidOptionException(
          "--tasks " + directory + ": cannot list it (" + e.getMessage() + ")");
    }
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new InvalidOptionException("--tasks " + jar + ": " + e.getMessage());
    }
  }
}
