package io.taskpool.core.redis;

import io.taskpool.core.TaskpoolException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * One-line explanations of what Redisson and Jedis throw when Redis cannot be used, naming where
 * and as whom: their own messages ({@code java.util.concurrent.ExecutionException:
 * org.redisson.client.RedisConnectionException: Unable to connect to Redis server: ...}) say
 * neither why nor, for a wrong password, that it was one.
 */
public final class RedisErrors {
  // Error replies of AUTH (and of commands sent before it) that mean the credentials are wrong.
  private static final Pattern AUTH_REPLY =
      Pattern.compile(
          "\\b(WRONGPASS |NOAUTH |ERR AUTH <password> called without|ERR invalid password)");

  private RedisErrors() {}

  /** Why connecting to Redis as {@code settings} say failed with {@code error}. */
  public static String connectFailure(RedisSettings settings, Throwable error) {
    String where = settings.where();
    Throwable deepest = error;
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      deepest = cause;
      String message = String.valueOf(cause.getMessage());
      Matcher auth = AUTH_REPLY.matcher(message);
      if (auth.find()) {
        return "Redis authentication failed for user "
            + settings.user()
            + " at "
            + where
            + " (Redis said: "
            + redisReply(message.substring(auth.start()))
            + ")";
      }
      if (cause instanceof ConnectException) {
        return "cannot reach Redis at "
            + where
            + ": connection refused (is it running, and is that its address?)";
      }
      if (cause instanceof UnknownHostException) {
        return "cannot reach Redis at " + where + ": unknown host";
      }
      if (cause instanceof SSLException) {
        return "TLS with Redis at " + where + " failed: " + firstLine(message);
      }
    }
    return "cannot connect to Redis at "
        + where
        + ": "
        + firstLine(String.valueOf(deepest.getMessage()));
  }

  /**
   * {@code Redis could not <what> <key>: <the client's reason, first line>}: for a command that
   * failed once connected (a timeout, a lost connection, a refused command).
   */
  public static TaskpoolException operationFailure(
      String what, String key, RuntimeException error) {
    Throwable deepest = error;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    String reason = firstLine(String.valueOf(deepest.getMessage()));
    return new TaskpoolException(
        "Redis could not "
            + what
            + " "
            + key
            + ": "
            + reason
            + " ("
            + deepest.getClass().getSimpleName()
            + ")",
        error);
  }

  /**
   * The server's reply without the client's additions ({@code . channel: [id: ...] command: ...}).
   */
  private static String redisReply(String message) {
    String reply = firstLine(message);
    int channel = reply.indexOf(" channel: ");
    if (channel >= 0) {
      reply = reply.substring(0, channel);
    }
    while (reply.endsWith(".")) {
      reply = reply.substring(0, reply.length() - 1);
    }
    return reply;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
