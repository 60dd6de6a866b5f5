package io.taskpool.it;

import io.taskpool.producer.ClientOptions;
import io.taskpool.producer.MapOptions;
import io.taskpool.producer.TaskClient;
import io.taskpool.producer.TaskStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Client process of the bounded-memory test: imaps {@code count} lazily generated inputs through
 * the pool (run it with a small heap) and checks each result arrives in order.
 */
public final class ImapTenMillion {
  public static void main(String[] args) {
    String bootstrap = args[0];
    String namespace = args[1];
    long count = Long.parseLong(args[2]);
    Iterator<Long> inputs =
        new Iterator<>() {
          private long next;

          @Override
          public boolean hasNext() {
            return next < count;
          }

          @Override
          public Long next() {
            if (next >= count) {
              throw new NoSuchElementException();
            }
            return next++;
          }
        };
    long seen = 0;
    long sum = 0;
    try (TaskClient client =
            TaskClient.connect(
                ClientOptions.builder()
                    .bootstrapServers(bootstrap)
                    .namespace(namespace)
                    .window(20_000)
                    .build());
        TaskStream<Long> results =
            client.imap("lsquare", inputs, Long.class, MapOptions.chunkSize(1_000))) {
      while (results.hasNext()) {
        long result = results.next();
        if (result != seen * seen) {
          System.out.println("out of order at " + seen + ": " + result);
          System.exit(3);
        }
        sum += result;
        seen++;
      }
    }
    Runtime runtime = Runtime.getRuntime();
    System.out.println(
        "count=" + seen + " sum=" + sum + " maxHeapMiB=" + runtime.maxMemory() / (1024 * 1024));
    System.exit(seen == count ? 0 : 4);
  }
}
