package io.taskpool.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link LuaScript}: scripts are files on the class path, and a missing one is named. */
class LuaScriptTest {

  @Test
  void aShippedScriptIsReadFromItsFile() {
    LuaScript script = LuaScript.load(LuaScript.class, "lock_renew.lua");

    assertThat(script.name()).isEqualTo("lock_renew.lua");
    assertThat(script.source()).contains("redis.call('pexpire', KEYS[1], ARGV[1])");
    assertThat(script).hasToString("LuaScript{lock_renew.lua}");
  }

  @Test
  void aMissingScriptFailsNamingTheResourceAndTheModule() {
    assertThatThrownBy(() -> LuaScript.load(LuaScriptTest.class, "no_such_script.lua"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Lua script /lua/no_such_script.lua is missing from the class path of"
                + " io.taskpool.core.redis.LuaScriptTest (a broken build or jar)");
  }
}
