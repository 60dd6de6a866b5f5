package io.taskpool.core.redis;

import io.taskpool.core.InvalidOptionException;
import io.taskpool.core.TaskpoolException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;

/**
 * How to reach Redis: a URL ({@code redis://[user:password@]host[:port][/db]}, {@code rediss://}
 * for TLS) or, for Sentinel and Cluster, a Redisson YAML config file passed through untouched. The
 * codec is always Redisson's {@code StringCodec}: never the default object codec, which would
 * instantiate classes named in data from the network.
 */
public final class RedisSettings {
  private static final int DEFAULT_PORT = 6379;

  private final Server url;
  private final Path configFile;
  private final Duration lockWatchdogTimeout;
  private final Truststore truststore;

  /** A PKCS12 (or JKS) file of the CAs a {@code rediss://} server's certificate may chain to. */
  private record Truststore(Path file, String password) {
    @Override
    public String toString() {
      return "Truststore{" + file + "}";
    }
  }

  /**
   * A {@code redis://} or {@code rediss://} URL, parsed once: every client, message and probe reads
   * these fields rather than parsing the URL again.
   */
  private record Server(
      boolean tls, String host, int port, String user, String password, Integer database) {
    String scheme() {
      return tls ? "rediss" : "redis";
    }

    @Override
    public String toString() {
      // Never print the password.
      return scheme() + "://" + host + ":" + port + (database == null ? "" : "/" + database);
    }
  }

  private RedisSettings(
      Server url, Path configFile, Duration lockWatchdogTimeout, Truststore truststore) {
    this.url = url;
    this.configFile = configFile;
    this.lockWatchdogTimeout = lockWatchdogTimeout;
    this.truststore = truststore;
  }

  /**
   * @throws InvalidOptionException naming what is wrong with the URL
   */
  public static RedisSettings fromUrl(String url) {
    return new RedisSettings(parse(url), null, Duration.ofSeconds(30), null);
  }

  // The one parser of Redis URLs: [user:]password in the user info (no colon: a password alone),
  // port 6379 unless given, the path's number as the database.
  private static Server parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidOptionException(
          "Redis URL '" + redacted(url) + "' is malformed: " + e.getReason());
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new InvalidOptionException(
          "Redis URL '" + redacted(url) + "' must start with redis:// or rediss://");
    }
    if (uri.getHost() == null) {
      throw new InvalidOptionException("Redis URL '" + redacted(url) + "' has no host");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = colon > 0 ? decode(userInfo.substring(0, colon)) : null;
      password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
    }
    Integer database = null;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new InvalidOptionException(
            "Redis URL database '" + path.substring(1) + "' is not a number");
      }
    }
    return new Server(
        "rediss".equals(uri.getScheme()),
        uri.getHost(),
        uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT,
        user,
        password,
        database);
  }

  // A refused URL is echoed so the operator sees what was read, but with its password masked:
  // messages end up in logs and terminals. Works on text that is not a valid URI too.
  private static String redacted(String url) {
    int at = url.lastIndexOf('@');
    if (at < 0) {
      return url;
    }
    int scheme = url.indexOf("://");
    int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    int colon = url.indexOf(':', start);
    String user = colon >= 0 && colon < at ? url.substring(start, colon) + ":" : "";
    return url.substring(0, start) + user + "***" + url.substring(at);
  }

  /** Redisson's own YAML config (Sentinel, Cluster, ...), used as it is apart from the codec. */
  public static RedisSettings fromConfigFile(Path file) {
    return new RedisSettings(null, file, Duration.ofSeconds(30), null);
  }

  /**
   * How long a lock stays held after its holder stopped renewing it (crashed or paused): Redisson's
   * watchdog timeout, 30 s by default. Shorter frees locks of dead holders sooner.
   */
  public RedisSettings withLockWatchdogTimeout(Duration timeout) {
    if (timeout.toMillis() < 100) {
      throw new InvalidOptionException("lockWatchdogTimeout must be >= 100 ms, was " + timeout);
    }
    return new RedisSettings(url, configFile, timeout, truststore);
  }

  /**
   * Trusts the CAs in {@code file} (PKCS12 or JKS) for a {@code rediss://} server, instead of the
   * JVM's default truststore: for a Redis whose certificate a private CA signed.
   *
   * @throws InvalidOptionException when the file cannot be read, or these settings are a plain
   *     {@code redis://} URL or a Redisson config file (which names its own {@code sslTruststore})
   */
  public RedisSettings withTruststore(Path file, String password) {
    // Refused rather than ignored: an operator who gives a truststore expects TLS to be checked.
    if (configFile != null) {
      throw new InvalidOptionException(
          "a Redis truststore applies to a rediss:// URL; the Redisson config "
              + configFile
              + " sets its own (sslTruststore)");
    }
    if (!url.tls()) {
      throw new InvalidOptionException(
          "a Redis truststore needs a rediss:// URL (TLS), not " + url);
    }
    if (!Files.isReadable(file)) {
      throw new InvalidOptionException("Redis truststore " + file + " cannot be read");
    }
    return new RedisSettings(url, configFile, lockWatchdogTimeout, new Truststore(file, password));
  }

  public Duration lockWatchdogTimeout() {
    return lockWatchdogTimeout;
  }

  /** The Redisson configuration these settings describe. */
  public Config toRedissonConfig() {
    Config config;
    if (configFile != null) {
      try {
        config = Config.fromYAML(configFile.toFile());
      } catch (IOException e) {
        throw new TaskpoolException(
            "cannot read Redisson config " + configFile + ": " + e.getMessage(), e);
      }
    } else {
      config = new Config();
      SingleServerConfig server =
          config.useSingleServer().setAddress(url.scheme() + "://" + url.host() + ":" + url.port());
      if (url.user() != null) {
        config.setUsername(url.user());
      }
      if (url.password() != null) {
        config.setPassword(url.password());
      }
      if (truststore != null) {
        try {
          config.setSslTruststore(truststore.file().toUri().toURL());
        } catch (MalformedURLException e) {
          throw new InvalidOptionException(
              "Redis truststore " + truststore.file() + " is not a file path");
        }
        config.setSslTruststorePassword(truststore.password());
      }
      if (url.database() != null) {
        server.setDatabase(url.database());
      }
    }
    config.setCodec(StringCodec.INSTANCE);
    config.setLockWatchdogTimeout(lockWatchdogTimeout.toMillis());
    config.setUseScriptCache(true);
    return config;
  }

  /**
   * The counter's data path: Jedis for a single server (blocking I/O on the calling thread), or the
   * given Redisson client for set-ups described by a config file.
   */
  ScriptRunner scriptRunner(RedissonClient redisson) {
    if (configFile != null) {
      return new RedissonScriptRunner(redisson);
    }
    DefaultJedisClientConfig.Builder client =
        DefaultJedisClientConfig.builder().ssl(url.tls()).timeoutMillis(3_000);
    if (url.tls()) {
      // Check the certificate names this host, as Redisson does by default.
      SSLParameters verifyHost = new SSLParameters();
      verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
      client.sslParameters(verifyHost);
    }
    if (truststore != null) {
      client.sslSocketFactory(trustingSocketFactory(truststore));
    }
    if (url.user() != null) {
      client.user(url.user());
    }
    if (url.password() != null) {
      client.password(url.password());
    }
    if (url.database() != null) {
      client.database(url.database());
    }
    return new JedisScriptRunner(new HostAndPort(url.host(), url.port()), client.build());
  }

  private static SSLSocketFactory trustingSocketFactory(Truststore truststore) {
    try (InputStream in = Files.newInputStream(truststore.file())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, truststore.password().toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidOptionException(
          "cannot load the Redis truststore " + truststore.file() + ": " + e.getMessage());
    }
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  /**
   * Where Redis is, as messages name it: {@code redis://host:port/db} or the config file; never the
   * password.
   */
  public String where() {
    return configFile != null ? "the servers of " + configFile : url.toString();
  }

  /**
   * Host and port of a URL's server (6379 by default); empty for a config file (Sentinel, Cluster).
   */
  public Optional<InetSocketAddress> address() {
    return url == null
        ? Optional.empty()
        : Optional.of(InetSocketAddress.createUnresolved(url.host(), url.port()));
  }

  /** The ACL user of the URL; {@code default} without one (Redis's own name for it). */
  public String user() {
    return url == null || url.user() == null || url.user().isEmpty() ? "default" : url.user();
  }

  @Override
  public String toString() {
    // Never print the password.
    return configFile != null
        ? "RedisSettings{config=" + configFile + "}"
        : "RedisSettings{" + url + "}";
  }
}
