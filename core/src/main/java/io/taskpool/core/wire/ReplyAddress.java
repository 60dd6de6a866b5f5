package io.taskpool.core.wire;

import io.taskpool.core.TaskpoolException;

/** Where a task's reply goes: the value of the {@link WireHeaders#REPLY_TO} header. */
public record ReplyAddress(String topic, int partition) {

  /** Parses {@code topic} (partition 0) or {@code topic:partition}. */
  public static ReplyAddress parse(String header) {
    int colon = header.lastIndexOf(':');
    if (colon < 0) {
      return new ReplyAddress(header, 0);
    }
    try {
      return new ReplyAddress(
          header.substring(0, colon), Integer.parseInt(header.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new TaskpoolException(
          "malformed " + WireHeaders.REPLY_TO + " header '" + header + "'", e);
    }
  }

  @Override
  public String toString() {
    return partition == 0 ? topic : topic + ":" + partition;
  }
}
