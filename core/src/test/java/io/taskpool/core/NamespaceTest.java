package io.taskpool.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamespaceTest {
  private final Namespace ns = Namespace.of("shop");

  @Test
  void everyTopicGroupAndKeyStartsWithTheNamespace() {
    assertThat(ns.taskTopic("emails")).isEqualTo("shop.tasks.emails");
    assertThat(ns.deadLetterTopic("emails")).isEqualTo("shop.dlq.emails");
    assertThat(ns.replyTopic("c1")).isEqualTo("shop.replies.c1");
    assertThat(ns.controlTopic()).isEqualTo("shop.control");
    assertThat(ns.workerGroup("emails")).isEqualTo("shop.workers.emails");
    assertThat(ns.redisKey("counter", "hits")).isEqualTo("shop:counter:hits");
  }

  @Test
  void illegalNamesAreRejectedWithWhatWasWrong() {
    assertThatThrownBy(() -> Namespace.of("a b"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("namespace 'a b'");
    assertThatThrownBy(() -> ns.taskTopic("")).hasMessage("queue must not be empty");
    assertThatThrownBy(() -> ns.taskTopic("a..b")).hasMessageContaining("queue 'a..b'");
  }
}
