package io.taskpool.cli;

import io.taskpool.core.redis.RedisSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reads or sets a shared counter (Python's Value). */
@Command(
    name = "counter",
    mixinStandardHelpOptions = true,
    description = "Get or set a shared counter (Python's Value) in Redis.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  taskpool counter get hits --redis-url redis://localhost:6379",
      "  taskpool counter set hits 0"
    })
final class CounterCommand implements Runnable {
  @Mixin NamespaceOptions namespace;
  @Mixin RedisConnection redis;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ACTION",
      description = "get (print the value) or set (set it to VALUE, then print it)")
  Action action;

  @Parameters(index = "1", paramLabel = "NAME", description = "the counter's name")
  String name;

  @Parameters(
      index = "2",
      arity = "0..1",
      paramLabel = "VALUE",
      description = "the new value, for set")
  Long value;

  enum Action {
    get,
    set
  }

  @Override
  public void run() {
    if (action == Action.set && value == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "counter set needs a VALUE");
    }
    try (RedisSync sync = RedisSync.connect(redis.settings(namespace), namespace.namespace())) {
      if (action == Action.set) {
        sync.counter(name).set(value);
      }
      spec.commandLine().getOut().println(sync.counter(name).get());
    }
  }
}
