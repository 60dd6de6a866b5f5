package io.taskpool.cli;

import io.taskpool.core.redis.RedisSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Reads or sets a shared counter (Python's Value). */
@Command(name = "counter", mixinStandardHelpOptions = true, description = "Get or set a shared counter: counter get NAME | counter set NAME VALUE")
final class CounterCommand implements Runnable {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "get or set")
  Action action;

  @Parameters(index = "1", description = "counter name")
  String name;

  @Parameters(index = "2", arity = "0..1", description = "new value (set)")
  Long value;

  enum Action {
    get,
    set
  }

  @Override
  public void run() {
    if (action == Action.set && value == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "counter set needs a VALUE");
    }
    try (RedisSync sync = RedisSync.connect(connection.redisSettings(), connection.namespace())) {
      if (action == Action.set) {
        sync.counter(name).set(value);
      }
      spec.commandLine().getOut().println(sync.counter(name).get());
    }
  }
}
