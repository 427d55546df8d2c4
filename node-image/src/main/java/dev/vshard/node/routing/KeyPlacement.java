package dev.vshard.node.routing;

import java.nio.charset.StandardCharsets;

/** The contract's key-to-vShard rule: {@code (murmur3_x86_32(utf8(key), seed 0) & 0x7fffffff) % V}. */
public final class KeyPlacement {
  private KeyPlacement() {
  }

  public static int vshardOf(String key, int vshards) {
    int hash = Murmur3.hash32(key.getBytes(StandardCharsets.UTF_8), 0);
    return (hash & 0x7fffffff) % vshards;
  }
}
