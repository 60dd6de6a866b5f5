package io.taskpool.testkit;

import io.taskpool.testkit.LocalCluster.KafkaRelease;
import io.taskpool.testkit.LocalCluster.RedisRelease;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives tests one shared {@link LocalCluster} per test JVM: started on first use, stopped when the
 * test run ends (JUnit's root store closes it; a shutdown hook covers crashes). Isolate tests with
 * {@link LocalCluster#uniqueNamespace}. A {@link ClusterSpec} on the test class picks other
 * releases (one shared cluster per spec).
 *
 * <pre>{@code
 * @ExtendWith(LocalClusterExtension.class)
 * class MyIT {
 *   @Test void works(LocalCluster cluster) { ... }
 * }
 * }</pre>
 */
public final class LocalClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(LocalClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Spec spec =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ClusterSpec.class)
            .map(a -> new Spec(a.kafka(), a.redis(), a.brokers(), a.secured()))
            .orElse(Spec.DEFAULT);
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(
            spec,
            key -> new SharedCluster(spec.start(Path.of("target", "testkit"))),
            SharedCluster.class)
        .cluster();
  }

  private record Spec(KafkaRelease kafka, RedisRelease redis, int brokers, boolean secured) {
    static final Spec DEFAULT = new Spec(KafkaRelease.BUILD, RedisRelease.SYSTEM, 1, false);

    LocalCluster start(Path workDir) {
      return secured
          ? LocalCluster.startSecured(workDir)
          : LocalCluster.start(workDir, kafka, redis, brokers);
    }
  }

  /** Closed by JUnit when the root context (the whole test run) ends. */
  private record SharedCluster(LocalCluster cluster)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }
}
