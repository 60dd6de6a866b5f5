package io.taskpool.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one shared {@link LocalCluster} per test JVM: started on first use, stopped when the
 * test run ends (JUnit's root store closes it; a shutdown hook covers crashes). Isolate tests with
 * {@link LocalCluster#uniqueNamespace}.
 *
 * <pre>{@code
 * @ExtendWith(LocalClusterExtension.class)
 * class MyIT {
 *   @Test void works(LocalCluster cluster) { ... }
 * }
 * }</pre>
 */
public final class LocalClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LocalClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(SharedCluster.class, type -> new SharedCluster(LocalCluster.start(Path.of("target", "testkit"))), SharedCluster.class)
        .cluster();
  }

  /** Closed by JUnit when the root context (the whole test run) ends. */
  private record SharedCluster(LocalCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }
}
