package io.taskpool.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskpool.core.TaskpoolException;
import io.taskpool.core.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  @Test
  void aReplyAddressIsATopicWithAnOptionalPartition() {
    assertThat(ReplyAddress.parse("ns.replies.c1")).isEqualTo(new ReplyAddress("ns.replies.c1", 0));
    assertThat(ReplyAddress.parse("ns.replies.shared:7"))
        .isEqualTo(new ReplyAddress("ns.replies.shared", 7));
    assertThat(new ReplyAddress("t", 3)).hasToString("t:3");
    assertThatThrownBy(() -> ReplyAddress.parse("t:x"))
        .isInstanceOf(TaskpoolException.class)
        .hasMessageContaining("taskpool.reply-to");
  }

  @Test
  void aStopMessageAddressesOneWorkerOrAll() {
    assertThat(ControlMessage.stopAll().addresses("w1", "default")).isTrue();
    assertThat(ControlMessage.stopWorker("w1").addresses("w1", "default")).isTrue();
    assertThat(ControlMessage.stopWorker("w1").addresses("w2", "default")).isFalse();
    assertThat(new ControlMessage("stop", "*", "emails", "now").addresses("w1", "default"))
        .isFalse();
    assertThat(new ControlMessage("pause", "*", null, null).addresses("w1", "default")).isFalse();
  }

  @Test
  void theStopMessageIsPlainJson() {
    JsonCodec json = new JsonCodec();
    String text = new String(json.encode(ControlMessage.stopWorker("w1")), StandardCharsets.UTF_8);

    assertThat(text).isEqualTo("{\"command\":\"stop\",\"worker\":\"w1\",\"when\":\"now\"}");
    assertThat(json.decode(text.getBytes(StandardCharsets.UTF_8), ControlMessage.class))
        .isEqualTo(ControlMessage.stopWorker("w1"));
  }
}
