package io.taskpool.core.redis;

import io.taskpool.core.TaskpoolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Lua script shipped as a file, {@code src/main/resources/lua/<name>}: the one loader every
 * module uses, so scripts stay files and a missing one fails where it is loaded, by name.
 * Immutable; load each script once (a static field) and run it by its text.
 */
public final class LuaScript {
  private final String name;
  private final String source;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
  }

  /**
   * Reads {@code /lua/<name>} through {@code owner}'s class loader (the module that ships it).
   *
   * @throws IllegalStateException naming the resource when the class path lacks it
   */
  public static LuaScript load(Class<?> owner, String name) {
    String resource = "/lua/" + name;
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "Lua script "
                + resource
                + " is missing from the class path of "
                + owner.getName()
                + " (a broken build or jar)");
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TaskpoolException("cannot read Lua script " + resource + ": " + e.getMessage(), e);
    }
  }

  /** The file name, e.g. {@code lock_acquire.lua}. */
  public String name() {
    return name;
  }

  /** The script's text, as EVAL takes it. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "LuaScript{" + name + "}";
  }
}
