package dev.vshard.node.ghost;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ghost stubs of this node, one small JSON file each under {@code <dataDir>/ghosts}, so they
 * survive a restart. Every change is written atomically before it becomes visible.
 */
public final class GhostStore {
  private static final String SUFFIX = ".json";

  private final Path dir;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Integer, GhostStub> stubs = new ConcurrentHashMap<>();

  private GhostStore(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /** Opens (creating if needed) the store under {@code dataDir/ghosts} and loads the stubs found there. */
  public static GhostStore open(Path dataDir, Clock clock) throws IOException {
    GhostStore store = new GhostStore(dataDir.resolve("ghosts"), clock);
    Files.createDirectories(store.dir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(store.dir, "vshard-*" + SUFFIX)) {
      for (Path file : files) {
        GhostStub stub = store.json.readValue(file.toFile(), StoredGhost.class).toStub();
        store.stubs.put(stub.vshard(), stub);
      }
    }
    return store;
  }

  /**
   * Records that {@code vshard} now lives at {@code newOwner}. Repeating the call for the same owner and
   * epoch keeps the existing stub and its counters; a newer epoch replaces it.
   */
  public synchronized GhostStub install(int vshard, String newOwner, long epoch) {
    GhostStub existing = stubs.get(vshard);
    if (existing != null && existing.epoch() >= epoch) {
      return existing;
    }
    GhostStub stub = GhostStub.installed(vshard, newOwner, epoch, clock.instant());
    persist(stub);
    return stub;
  }

  public Optional<GhostStub> find(int vshard) {
    return Optional.ofNullable(stubs.get(vshard));
  }

  /** Counts one request forwarded through the stub of {@code vshard}; empty when there is none. */
  public synchronized Optional<GhostStub> recordForward(int vshard) {
    GhostStub stub = stubs.get(vshard);
    if (stub == null) {
      return Optional.empty();
    }
    GhostStub used = stub.forwarded(clock.instant());
    persist(used);
    return Optional.of(used);
  }

  /** Drops the stub of {@code vshard} (the vShard came back to this node, or the stub was swept). */
  public synchronized void remove(int vshard) {
    if (stubs.remove(vshard) != null) {
      try {
        Files.deleteIfExists(fileOf(vshard));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete ghost stub of vShard " + vshard, e);
      }
    }
  }

  /** Removes and returns every stub whose last use is before {@code cutoff}. */
  public synchronized List<GhostStub> sweepUnusedSince(Instant cutoff) {
    List<GhostStub> swept = new ArrayList<>();
    for (GhostStub stub : List.copyOf(stubs.values())) {
      if (stub.unusedSince(cutoff)) {
        remove(stub.vshard());
        swept.add(stub);
      }
    }
    return swept;
  }

  public List<GhostStub> list() {
    List<GhostStub> all = new ArrayList<>(stubs.values());
    all.sort(Comparator.comparingInt(GhostStub::vshard));
    return all;
  }

  private void persist(GhostStub stub) {
    try {
      AtomicFiles.write(fileOf(stub.vshard()), json.writeValueAsBytes(StoredGhost.of(stub)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist ghost stub of vShard " + stub.vshard(), e);
    }
    stubs.put(stub.vshard(), stub);
  }

  private Path fileOf(int vshard) {
    return dir.resolve("vshard-" + vshard + SUFFIX);
  }

  /** The on-disk (and API) shape: instants as ISO-8601 strings, so no extra Jackson module is needed. */
  public record StoredGhost(int vshard, String newOwner, long epoch, String installedAt, String lastUsed,
                            long forwardedCount) {
    public static StoredGhost of(GhostStub s) {
      return new StoredGhost(s.vshard(), s.newOwner(), s.epoch(), s.installedAt().toString(),
          s.lastUsed().toString(), s.forwardedCount());
    }

    GhostStub toStub() {
      return new GhostStub(vshard, newOwner, epoch, Instant.parse(installedAt), Instant.parse(lastUsed),
          forwardedCount);
    }
  }
}
