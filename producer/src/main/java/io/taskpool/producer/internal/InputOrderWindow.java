package io.taskpool.producer.internal;

import java.util.HashMap;
import java.util.Map;

/** Hands results over in input order: a chunk is due once every chunk before it was read. */
final class InputOrderWindow<R> extends ResultWindow<R> {
  private final Map<Long, Chunk<R>> arrived = new HashMap<>();
  private long nextFirst;

  InputOrderWindow(int capacity) {
    super(capacity);
  }

  @Override
  protected void store(Chunk<R> chunk) {
    arrived.put(chunk.first, chunk);
  }

  @Override
  protected Chunk<R> nextChunk() {
    Chunk<R> due = arrived.remove(nextFirst);
    if (due != null) {
      nextFirst += due.count;
    }
    return due;
  }
}
