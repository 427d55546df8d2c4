package dev.vshard.node.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.ratis.thirdparty.com.google.common.hash.Hashing;
import org.junit.jupiter.api.Test;

/** murmur3_x86_32 against the published SMHasher vectors, and against Guava's independent implementation. */
class Murmur3Test {

  @Test
  void publishedVectors() {
    assertThat(hash(new byte[0], 0)).isEqualTo(0);
    assertThat(hash(new byte[0], 1)).isEqualTo(0x514E28B7);
    assertThat(hash(new byte[0], 0xffffffff)).isEqualTo(0x81F16F39);
    assertThat(hash(bytes(0xff, 0xff, 0xff, 0xff), 0)).isEqualTo(0x76293B50);
    assertThat(hash(bytes(0x21, 0x43, 0x65, 0x87), 0)).isEqualTo(0xF55B516B);
    assertThat(hash(bytes(0x21, 0x43, 0x65, 0x87), 0x5082EDEE)).isEqualTo(0x2362F9DE);
    assertThat(hash(bytes(0x21, 0x43, 0x65), 0)).isEqualTo(0x7E4A8634);
    assertThat(hash(bytes(0x21, 0x43), 0)).isEqualTo(0xA0F7B07A);
    assertThat(hash(bytes(0x21), 0)).isEqualTo(0x72661CF4);
    assertThat(hash(bytes(0, 0, 0, 0), 0)).isEqualTo(0x2362F9DE);
    assertThat(hash(bytes(0, 0, 0), 0)).isEqualTo(0x85F0B427);
    assertThat(hash(bytes(0, 0), 0)).isEqualTo(0x30F4C306);
    assertThat(hash(bytes(0), 0)).isEqualTo(0x514E28B7);
    assertThat(hash("Hello, world!".getBytes(StandardCharsets.UTF_8), 1234)).isEqualTo(0xFAF6CDB3);
    assertThat(hash("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(0x2E4FF723);
  }

  @Test
  void agreesWithGuavaOnRandomInputs() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 2000; i++) {
      byte[] data = new byte[random.nextInt(0, 64)];
      random.nextBytes(data);
      int seed = random.nextInt();
      assertThat(Murmur3.hash32(data, seed)).as("input %d", i)
          .isEqualTo(Hashing.murmur3_32_fixed(seed).hashBytes(data).asInt());
    }
  }

  @Test
  void keyPlacementVectors() {
    // the contract's rule; clients in other languages can check against these
    assertThat(KeyPlacement.vshardOf("", 16)).isEqualTo(0);
    int quickFox = 0x2E4FF723 & 0x7fffffff;
    assertThat(KeyPlacement.vshardOf("The quick brown fox jumps over the lazy dog", 16)).isEqualTo(quickFox % 16);
    assertThat(KeyPlacement.vshardOf("The quick brown fox jumps over the lazy dog", 7)).isEqualTo(quickFox % 7);
    // a hash with the sign bit set: 0x81F16F39 & 0x7fffffff keeps the result non-negative
    assertThat((0x81F16F39 & 0x7fffffff) % 16).isEqualTo(0x01F16F39 % 16);
    for (int i = 0; i < 1000; i++) {
      assertThat(KeyPlacement.vshardOf("key-" + i, 8)).isBetween(0, 7);
    }
  }

  private static int hash(byte[] data, int seed) {
    return Murmur3.hash32(data, seed);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
