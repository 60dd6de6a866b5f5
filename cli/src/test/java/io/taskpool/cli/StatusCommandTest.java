package io.taskpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code taskpool status} against addresses that are not a coordinator: one sentence each. */
class StatusCommandTest {

  @Test
  void anAddressThatIsNotAUrlSaysWhatToType() {
    CliRun result = CliRun.of(null, "status", "--coordinator", "localhost:8085");

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip())
        .isEqualTo(
            "taskpool: --coordinator 'localhost:8085' is not an http:// URL: use e.g."
                + " http://localhost:8085");
  }

  @Test
  void aPortNobodyListensOnIsAConnectionRefusedNotNull() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    CliRun result = CliRun.of(null, "status", "--coordinator", "http://127.0.0.1:" + port);

    assertThat(result.exit).isEqualTo(1);
    assertThat(result.err.strip())
        .isEqualTo(
            "taskpool: cannot reach the coordinator at http://127.0.0.1:"
                + port
                + ": connection refused (is it running, and is that its --status-port?)");
  }
}
