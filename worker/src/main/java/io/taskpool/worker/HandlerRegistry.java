package io.taskpool.worker;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.NonRetriableTaskException;
import io.taskpool.core.json.JsonCodec;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task handlers by name. The input type is given explicitly because Java erases a lambda's
 * parameter type: {@code registry.register("square", Integer.class, n -> n * n)}. Thread-safe.
 */
public final class HandlerRegistry {
  private final Map<String, RegisteredHandler> handlers = new ConcurrentHashMap<>();
  private final JsonCodec json;

  public HandlerRegistry(JsonCodec json) {
    this.json = json;
  }

  /** A handler of one argument, decoded from the task's JSON payload as {@code inputType}. */
  public <I, O> HandlerRegistry register(
      String name, Class<I> inputType, TaskHandler<I, O> handler) {
    return register(name, inputType, handler, TimeLimits.NONE);
  }

  /**
   * A handler of one argument with its own time limits (each one left null falls back to the
   * worker's default): {@code register("render", Page.class, r::render,
   * TimeLimits.of(ofSeconds(30), ofSeconds(60)))}.
   */
  public <I, O> HandlerRegistry register(
      String name, Class<I> inputType, TaskHandler<I, O> handler, TimeLimits limits) {
    @SuppressWarnings("unchecked")
    TaskHandler<Object, O> untyped = (TaskHandler<Object, O>) handler;
    return add(name, new RegisteredHandler(json.type(inputType), untyped::handle, limits));
  }

  /**
   * A handler of two arguments, for {@code starmap}: the payload is the JSON array {@code [a, b]}.
   */
  public <A, B, O> HandlerRegistry register(
      String name, Class<A> firstType, Class<B> secondType, TaskHandler2<A, B, O> handler) {
    JavaType first = json.type(firstType);
    JavaType second = json.type(secondType);
    return add(
        name,
        new RegisteredHandler(
            json.type(JsonNode.class),
            input -> {
              JsonNode payload = (JsonNode) input;
              if (!payload.isArray() || payload.size() != 2) {
                throw new NonRetriableTaskException(
                    "task "
                        + name
                        + " takes two arguments as a JSON array [a, b], got "
                        + payload.getNodeType());
              }
              return handler.handle(
                  json.convert(payload.get(0), first), json.convert(payload.get(1), second));
            },
            TimeLimits.NONE));
  }

  /** Registers every {@link TaskModule} on the class path. */
  public HandlerRegistry discover(ClassLoader classLoader) {
    try {
      for (TaskModule module : ServiceLoader.load(TaskModule.class, classLoader)) {
        module.register(this);
      }
    } catch (ServiceConfigurationError broken) {
      throw new InvalidOptionException("cannot load the task modules: " + broken.getMessage());
    }
    return this;
  }

  /**
   * The time limits registered with {@code name}'s handler ({@link TimeLimits#NONE} if none or
   * unknown).
   */
  public TimeLimits limits(String name) {
    RegisteredHandler handler = name == null ? null : handlers.get(name);
    return handler == null ? TimeLimits.NONE : handler.limits();
  }

  /**
   * Registers only the {@link TaskModule}s that {@code classLoader} itself defines, not those its
   * parents see: the user's task jars, without whatever modules ride on taskpool's class path.
   */
  public HandlerRegistry discoverOwn(ClassLoader classLoader) {
    try {
      ServiceLoader.load(TaskModule.class, classLoader).stream()
          .filter(p -> p.type().getClassLoader() == classLoader)
          .forEach(p -> p.get().register(this));
    } catch (ServiceConfigurationError broken) {
      throw new InvalidOptionException("cannot load the task modules: " + broken.getMessage());
    }
    return this;
  }

  /** The handler of {@code name}, or null. */
  public RegisteredHandler find(String name) {
    return handlers.get(name);
  }

  public Set<String> names() {
    return Set.copyOf(handlers.keySet());
  }

  private HandlerRegistry add(String name, RegisteredHandler handler) {
    if (name == null || name.isBlank()) {
      throw new InvalidOptionException("task name must not be empty");
    }
    if (handlers.putIfAbsent(name, handler) != null) {
      throw new InvalidOptionException("a handler for task '" + name + "' is already registered");
    }
    return this;
  }

  /**
   * A handler with the type its input is decoded to, so a chunk's JSON array can be read straight
   * into a list of inputs without an intermediate tree.
   */
  public record RegisteredHandler(
      JavaType inputType, TaskHandler<Object, ?> handler, TimeLimits limits) {
    public Object invoke(Object input) throws Exception {
      return handler.handle(input);
    }
  }
}
