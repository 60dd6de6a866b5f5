package io.taskpool.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} child process on a free port, persistence off: the one on PATH, or
 * else the Redis binary shipped inside {@code com.github.codemonstur:embedded-redis}, so nothing
 * needs installing.
 */
public final class RedisServerProcess implements Service {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private final Process process;
  private final String host;
  private final int port;
  private final String binary;
  private final Path workDir;
  private final boolean persistent;
  private final boolean tls;

  public RedisServerProcess(Path parentDir) {
    this(parentDir, FreePorts.next());
  }

  /** A server on a given port, e.g. to restart one where its clients expect it. */
  public RedisServerProcess(Path parentDir, int port) {
    this(parentDir, "127.0.0.1", port);
  }

  /**
   * A server bound to {@code host}; bound beyond loopback it runs with protected mode off and no
   * password, which suits a development network only.
   */
  public RedisServerProcess(Path parentDir, String host, int port) {
    this(parentDir, host, port, findBinary());
  }

  /**
   * The Redis binary embedded-redis ships (6.2 in 1.4.4), whatever PATH holds: the oldest Redis we
   * claim to support.
   */
  public static RedisServerProcess shipped(Path parentDir) {
    return new RedisServerProcess(parentDir, "127.0.0.1", FreePorts.next(), shippedBinary());
  }

  /**
   * A server that keeps its data in {@code dataDir} (append-only file, fsync on every write) and
   * leaves it there on close, so a test can stop it and start it again where it was.
   */
  public static RedisServerProcess persistent(Path dataDir, int port) {
    return new RedisServerProcess(dataDir, "127.0.0.1", port, findBinary(), true, List.of());
  }

  /**
   * A server reachable only over TLS ({@code rediss://localhost:port}, the certificate of {@code
   * certs}) whose default user is off: only {@code admin} (every right, {@code adminPassword}) and
   * the ACL users a test creates get in. Needs a redis-server built with TLS (Debian's is).
   */
  public static RedisServerProcess secured(
      Path parentDir, TestCertificates certs, String adminPassword) {
    List<String> tls =
        List.of(
            "--tls-port",
            "PORT",
            "--tls-cert-file",
            certs.serverPem().toString(),
            "--tls-key-file",
            certs.serverKey().toString(),
            "--tls-ca-cert-file",
            certs.caPem().toString(),
            "--tls-auth-clients",
            "no",
            "--user",
            "default",
            "off",
            "--user",
            "admin",
            "on",
            ">" + adminPassword,
            "~*",
            "&*",
            "+@all");
    return new RedisServerProcess(
        parentDir, "localhost", FreePorts.next(), findBinary(), false, tls);
  }

  private RedisServerProcess(Path parentDir, String host, int port, String binary) {
    this(parentDir, host, port, binary, false, List.of());
  }

  private RedisServerProcess(
      Path dir, String host, int port, String binary, boolean persistent, List<String> tlsArgs) {
    this.host = host;
    this.port = port;
    this.binary = binary;
    this.persistent = persistent;
    this.tls = !tlsArgs.isEmpty();
    try {
      Files.createDirectories(dir);
      this.workDir = persistent ? dir : Files.createTempDirectory(dir, "redis-");
      List<String> persistence =
          persistent
              ? List.of("--appendonly", "yes", "--appendfsync", "always")
              : List.of("--appendonly", "no");
      boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host);
      List<String> command =
          new ArrayList<>(
              List.of(
                  binary,
                  "--port",
                  tls ? "0" : String.valueOf(port),
                  "--bind",
                  loopback ? "127.0.0.1" : "0.0.0.0",
                  "--protected-mode",
                  loopback ? "yes" : "no",
                  "--save",
                  "",
                  "--dir",
                  workDir.toString()));
      command.addAll(persistence);
      tlsArgs.forEach(arg -> command.add("PORT".equals(arg) ? String.valueOf(port) : arg));
      this.process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(workDir.resolve("redis.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    awaitPong();
  }

  private static String findBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, "redis-server");
      if (candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return shippedBinary();
  }

  private static String shippedBinary() {
    try {
      File shipped = ExecutableProvider.newJarResourceProvider().get();
      shipped.setExecutable(true);
      return shipped.getAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "no redis-server on PATH and the embedded-redis binary could not be unpacked", e);
    }
  }

  private void awaitPong() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            binary
                + " exited at start with "
                + process.exitValue()
                + "; see "
                + workDir.resolve("redis.log"));
      }
      // Over TLS, PING needs a handshake and a user: the server's own word is enough there.
      if (tls ? logSays("Ready to accept connections") : answersPing()) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException(binary + " did not answer PING within " + STARTUP_TIMEOUT);
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int read = in.read(reply);
      return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException notYet) {
      return false;
    }
  }

  private boolean logSays(String line) {
    try {
      return Files.readString(workDir.resolve("redis.log")).contains(line);
    } catch (IOException notYet) {
      return false;
    }
  }

  @Override
  public String address() {
    return (tls ? "rediss://" : "redis://") + host + ":" + port;
  }

  @Override
  public String describe() {
    return "redis-server process (" + binary + ") at " + address();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    if (!persistent) {
      EmbeddedKafkaBroker.deleteRecursively(workDir);
    }
  }
}
