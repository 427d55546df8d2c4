package dev.vshard.node.kv;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A vShard's keys and values, which a snapshot freezes in constant time: {@link #freeze} sets the map aside as
 * it is and collects the changes that follow in a second, small map, read first; once the snapshot no longer
 * reads the frozen map ({@link Frozen#release}), the next change folds them back in (one write per changed
 * key). Why: copying the references of 270,000 entries held the applies 45-193 ms, and a learner's join
 * waited for it.
 * <p>Changed by one thread (the apply thread); read by any.
 */
final class FreezableMap {
  /** A key removed since the freeze (compared by identity). */
  private static final ByteBuffer REMOVED = ByteBuffer.allocate(0);

  private final ConcurrentHashMap<String, ByteBuffer> base = new ConcurrentHashMap<>();
  /** The changes since the freeze, or null when there are none apart from {@link #base}. */
  private volatile ConcurrentHashMap<String, ByteBuffer> changes;
  private volatile Frozen frozen;
  private volatile int size;

  /** The keys and values as they were at {@link #freeze}, unchanged until released. */
  final class Frozen {
    private final int count;
    private volatile boolean released;

    private Frozen(int count) {
      this.count = count;
    }

    int count() {
      return count;
    }

    Iterable<Map.Entry<String, ByteBuffer>> entries() {
      if (released) {
        throw new IllegalStateException("the frozen entries were released");
      }
      return base.entrySet();
    }

    /** No longer read: the changes since may go into the map at the next change (any thread may call it). */
    void release() {
      released = true;
    }
  }

  ByteBuffer get(String key) {
    Map<String, ByteBuffer> since = changes;
    if (since != null) {
      ByteBuffer changed = since.get(key);
      if (changed != null) {
        return changed == REMOVED ? null : changed;
      }
    }
    return base.get(key);
  }

  /** @return the value it replaced, or null */
  ByteBuffer put(String key, ByteBuffer value) {
    ByteBuffer old = change(key, value);
    if (old == null) {
      size++;
    }
    return old;
  }

  /** @return the value it removed, or null */
  ByteBuffer remove(String key) {
    ByteBuffer old = change(key, null);
    if (old != null) {
      size--;
    }
    return old;
  }

  private ByteBuffer change(String key, ByteBuffer value) {
    foldIfReleased();
    ConcurrentHashMap<String, ByteBuffer> since = changes;
    if (since == null) {
      return value == null ? base.remove(key) : base.put(key, value);
    }
    ByteBuffer old = get(key);
    if (value != null || old != null) {
      since.put(key, value == null ? REMOVED : value);
    }
    return old;
  }

  /**
   * Sets the map aside as it is now; the one frozen before must have been released (a replica writes one
   * snapshot at a time).
   */
  Frozen freeze() {
    Frozen before = frozen;
    if (before != null && !before.released) {
      throw new IllegalStateException("the entries frozen before are still being read");
    }
    fold();
    Frozen now = new Frozen(size);
    frozen = now;
    changes = new ConcurrentHashMap<>();
    return now;
  }

  int size() {
    return size;
  }

  void clear() {
    changes = null;
    frozen = null;
    base.clear();
    size = 0;
  }

  private void foldIfReleased() {
    Frozen current = frozen;
    if (current != null && current.released) {
      fold();
    }
  }

  /**
   * The changes go into the map before readers stop looking at them: a reader finds the newest value in
   * either one meanwhile.
   */
  private void fold() {
    ConcurrentHashMap<String, ByteBuffer> since = changes;
    if (since != null) {
      for (Map.Entry<String, ByteBuffer> change : since.entrySet()) {
        if (change.getValue() == REMOVED) {
          base.remove(change.getKey());
        } else {
          base.put(change.getKey(), change.getValue());
        }
      }
      changes = null;
    }
    frozen = null;
  }
}
