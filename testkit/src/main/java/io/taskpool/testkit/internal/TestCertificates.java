package io.taskpool.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA and one server certificate for {@code localhost} / {@code 127.0.0.1}, made with
 * openssl and keytool at test time (nothing committed): PEM files for Redis and Kafka's PEM
 * truststore, a PKCS12 keystore for the broker, a PKCS12 truststore for Java clients of Redis.
 */
public final class TestCertificates {
  private final Path dir;
  private final String password;

  private TestCertificates(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  /** Generates the CA and the server certificate into a new directory under {@code parentDir}. */
  public static TestCertificates generate(Path parentDir) {
    Path dir = KafkaBrokerProcess.createDataDir(parentDir, "tls-");
    TestCertificates certs =
        new TestCertificates(dir.toAbsolutePath(), UUID.randomUUID().toString().replace("-", ""));
    certs.run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=taskpool test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    certs.run(
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr");
    try {
      Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    certs.run(
        "openssl",
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem");
    certs.run(
        "openssl",
        "pkcs12",
        "-export",
        "-in",
        "server.pem",
        "-inkey",
        "server.key",
        "-certfile",
        "ca.pem",
        "-name",
        "server",
        "-out",
        "server.p12",
        "-passout",
        "pass:" + certs.password);
    certs.run(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        "ca.pem",
        "-keystore",
        "truststore.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        certs.password);
    return certs;
  }

  private void run(String... command) {
    try {
      Process process =
          new ProcessBuilder(new ArrayList<>(List.of(command)))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("generate.log").toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            command[0]
                + " "
                + command[1]
                + " failed: "
                + Files.readString(dir.resolve("generate.log")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run "
              + command[0]
              + " (the test kit makes its TLS certificates with openssl and keytool)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate (PEM): what clients trust. */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  public Path serverPem() {
    return dir.resolve("server.pem");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** The server's key and certificate chain, PKCS12, protected by {@link #password()}. */
  public Path serverKeystore() {
    return dir.resolve("server.p12");
  }

  /** The CA in a PKCS12 truststore, protected by {@link #password()}, for Java clients. */
  public Path truststore() {
    return dir.resolve("truststore.p12");
  }

  /**
   * A TLS socket factory trusting only the test CA, for Java clients (Jedis) of the test servers.
   */
  public SSLSocketFactory socketFactory() {
    try (InputStream in = Files.newInputStream(truststore())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the test truststore", e);
    }
  }

  public String password() {
    return password;
  }

  public void delete() {
    EmbeddedKafkaBroker.deleteRecursively(dir);
  }
}
