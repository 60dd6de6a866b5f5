package io.taskpool.producer.internal;

import java.util.ArrayDeque;

/** Hands results over in the order they complete. */
final class ArrivalOrderWindow<R> extends ResultWindow<R> {
  private final ArrayDeque<Chunk<R>> arrived = new ArrayDeque<>();

  ArrivalOrderWindow(int capacity) {
    super(capacity);
  }

  @Override
  protected void store(Chunk<R> chunk) {
    arrived.add(chunk);
  }

  @Override
  protected Chunk<R> nextChunk() {
    return arrived.poll();
  }
}
