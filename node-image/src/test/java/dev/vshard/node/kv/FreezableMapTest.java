package dev.vshard.node.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The frozen entries stay as they were while the map changes; the changes are kept and folded in after. */
class FreezableMapTest {

  @Test
  void theFrozenEntriesStayAsTheyWereWhileEveryChangeShowsAtOnce() {
    FreezableMap map = new FreezableMap();
    map.put("kept", value("k1"));
    map.put("overwritten", value("o1"));
    map.put("removed", value("r1"));
    map.put("removed-then-put", value("p1"));

    FreezableMap.Frozen frozen = map.freeze();
    assertThat(map.put("overwritten", value("o2"))).isEqualTo(value("o1"));
    assertThat(map.remove("removed")).isEqualTo(value("r1"));
    assertThat(map.remove("removed")).as("removed twice").isNull();
    assertThat(map.remove("never-there")).isNull();
    assertThat(map.remove("removed-then-put")).isEqualTo(value("p1"));
    assertThat(map.put("removed-then-put", value("p2"))).as("put after its removal").isNull();
    assertThat(map.put("new", value("n1"))).isNull();

    assertThat(contents(frozen)).isEqualTo(Map.of("kept", "k1", "overwritten", "o1", "removed", "r1",
        "removed-then-put", "p1"));
    assertThat(frozen.count()).isEqualTo(4);
    Map<String, String> now = Map.of("kept", "k1", "overwritten", "o2", "removed-then-put", "p2", "new", "n1");
    assertThat(visible(map, now.keySet(), "removed", "never-there")).isEqualTo(now);
    assertThat(map.size()).isEqualTo(4);

    frozen.release();
    assertThatThrownBy(frozen::entries).isInstanceOf(IllegalStateException.class);
    map.put("after-release", value("a1")); // folds the changes in
    Map<String, String> afterFold = new HashMap<>(now);
    afterFold.put("after-release", "a1");
    assertThat(contents(map.freeze())).as("everything folded in").isEqualTo(afterFold);
    assertThat(map.size()).isEqualTo(5);
  }

  @Test
  void aSecondFreezeBeforeTheFirstIsReleasedIsRefused() {
    FreezableMap map = new FreezableMap();
    map.freeze();
    assertThatThrownBy(map::freeze).isInstanceOf(IllegalStateException.class).hasMessageContaining("still being read");
  }

  @Test
  void randomChangesAcrossFreezesMatchAPlainMap() {
    FreezableMap map = new FreezableMap();
    Map<String, String> expected = new HashMap<>();
    Random random = new Random(42);
    FreezableMap.Frozen frozen = null;
    Map<String, String> expectedFrozen = null;
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < 200; i++) {
        String key = "k" + random.nextInt(300);
        if (random.nextInt(3) == 0) {
          assertThat(str(map.remove(key))).isEqualTo(expected.remove(key));
        } else {
          String value = "v" + round + "-" + i;
          assertThat(str(map.put(key, value(value)))).isEqualTo(expected.put(key, value));
        }
      }
      assertThat(map.size()).isEqualTo(expected.size());
      if (frozen != null) {
        assertThat(contents(frozen)).as("round %d: frozen", round).isEqualTo(expectedFrozen);
        frozen.release();
        frozen = null;
      } else if (random.nextBoolean()) {
        frozen = map.freeze();
        expectedFrozen = new HashMap<>(expected);
      }
    }
    for (int k = 0; k < 300; k++) {
      assertThat(str(map.get("k" + k))).as("k%d", k).isEqualTo(expected.get("k" + k));
    }
  }

  private static ByteBuffer value(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String str(ByteBuffer value) {
    return value == null ? null : StandardCharsets.UTF_8.decode(value.duplicate()).toString();
  }

  private static Map<String, String> contents(FreezableMap.Frozen frozen) {
    Map<String, String> contents = new HashMap<>();
    frozen.entries().forEach(e -> contents.put(e.getKey(), str(e.getValue())));
    return contents;
  }

  private static Map<String, String> visible(FreezableMap map, Iterable<String> present, String... absent) {
    for (String key : absent) {
      assertThat(map.get(key)).as(key).isNull();
    }
    Map<String, String> seen = new HashMap<>();
    present.forEach(key -> seen.put(key, str(map.get(key))));
    return seen;
  }
}
