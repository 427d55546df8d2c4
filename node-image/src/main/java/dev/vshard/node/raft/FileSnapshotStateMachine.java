package dev.vshard.node.raft;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotResult;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of our state machines: checksummed file snapshots ({@link SnapshotFile}) and the full lifecycle a
 * replica needs to receive a snapshot from the leader: {@code initialize} inside
 * {@code startAndTransition}, {@code pause} (PAUSING -> PAUSED) and {@code reinitialize} (load the latest
 * snapshot, then STARTING -> RUNNING). Ratis runs in notify-install mode ({@link RaftTuning}): the replica
 * downloads the snapshot itself through {@link SnapshotSource}, which also counts the bytes it received.
 * Subclasses keep their state so that it changes together with the last-applied index (one apply thread).
 * Snapshots are written beside the applies, from a frozen copy of the state ({@link #takeSnapshot}): written
 * on the apply thread, an 85 MB one held every write of its group for 132-440 ms.
 */
public abstract class FileSnapshotStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStateMachine.class);
  private static final long NOTHING_NEW = -1;
  private static final long REPORT_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);
  private static final long SNAPSHOT_NOW_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(60);
  /** Requests answered with no snapshot written or being written (each one's answer was another's) before giving up. */
  private static final int SNAPSHOT_NOW_REQUESTS = 3;

  private final SimpleStateMachineStorage storage = new SnapshotStorage();
  private final SnapshotSource snapshotSource;
  private final AtomicLong bytesReceived = new AtomicLong();
  private volatile long installedSnapshotIndex = -1;
  private volatile long installedSnapshotBytes;
  /**
   * Kept here because Ratis asks for it on every appendEntries, and the storage rescans its directory on
   * each call while it has none (the first minutes of a group's life): 2.6% of a loaded node's CPU.
   */
  private final AtomicReference<SingleFileSnapshotInfo> latestSnapshot = new AtomicReference<>();
  private final AtomicLong logBytesSinceSnapshot = new AtomicLong();
  private final Executor snapshotWrites;
  private final SnapshotPolicy policy;
  /** This replica's share of the state in log for its next snapshot ({@link SnapshotPolicy#drawShare}); under this object's lock. */
  private double logShare;
  /** Set by {@link #snapshotNow} before its request: the snapshot it asks for is not deferred by the policy. */
  private final AtomicBoolean requested = new AtomicBoolean();
  /**
   * The writer's request to report a written snapshot is still pending: Ratis answers it by calling
   * {@link #takeSnapshot}, which, when an applied entry reported the snapshot first, would start another one.
   */
  private final AtomicBoolean reportRequestPending = new AtomicBoolean();
  /** Written, or being written, and not yet reported to Ratis; changed under this object's lock. */
  private volatile SnapshotInProgress inProgress;
  /** This replica's own requests to its division (an empty entry, a snapshot). */
  private final ClientId ownClient = ClientId.randomId();
  private final AtomicLong ownCalls = new AtomicLong();
  /** The snapshot file this process last wrote or received: checked then, so loading it skips a second pass. */
  private volatile Path checkedSnapshot;

  /**
   * @param snapshotWrites where snapshots are written, beside the applies (one thread per node is plenty: the
   *                       disk is the limit); the caller shuts it down after the Raft server
   * @param policy         which triggered snapshots wait for more log ({@link #stateBytes})
   */
  protected FileSnapshotStateMachine(SnapshotSource snapshotSource, Executor snapshotWrites, SnapshotPolicy policy) {
    this.snapshotSource = snapshotSource;
    this.snapshotWrites = snapshotWrites;
    this.policy = policy;
    this.logShare = policy.drawShare(ThreadLocalRandom.current());
  }

  /**
   * About the bytes a snapshot of the state writes now, for the {@link SnapshotPolicy}; 0 (the default) for a
   * state that is always small. Called on the apply thread.
   */
  protected long stateBytes() {
    return 0;
  }

  /**
   * The whole state as of now, to be written to a snapshot on another thread while entries are applied
   * (called on the apply thread: keep it short, at most copying references of immutable values). It stays as
   * it is until the writer's {@link SnapshotFile.BodyWriter#release}.
   */
  protected abstract SnapshotFile.BodyWriter freezeState();

  /** Replaces the whole state with the snapshot's (what it keeps of {@code body} stays backed by the file). */
  protected abstract void readState(SnapshotBody body) throws IOException;

  /** Forgets the state (before loading a snapshot over it). */
  protected abstract void clearState();

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      forgetMd5Files();
      loadLatestSnapshot();
    });
  }

  @Override
  public void pause() {
    discardInProgress();
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    loadLatestSnapshot();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  /**
   * Called by Ratis on the thread that applies entries, every {@code snapshotThreshold} entries and on
   * request. The state is frozen there (the KV map set aside in constant time) and written on the snapshot writer
   * thread, so the applies go on meanwhile; the snapshot is reported to Ratis at its first call after the file
   * is on disk (for an idle group the writer asks for that call) and only then may Ratis purge its log up to
   * it. Until then this returns -1. When the division is stopping the snapshot is written right here.
   * A triggered snapshot of a large state waits until the {@link SnapshotPolicy} finds enough log since the
   * last one (Ratis then calls again after each applied batch: the check is two numbers); so does the one at
   * stop, which would otherwise rewrite the whole state for a few entries (0.7 s at 105 MB).
   */
  @Override
  public synchronized long takeSnapshot() throws IOException {
    // Ratis calls this after every applied batch while a snapshot is written or deferred: the division's
    // state is looked up only where it decides
    SnapshotInProgress running = inProgress;
    if (running != null) {
      if (!running.written.isDone() && !stopping()) {
        return NOTHING_NEW;
      }
      inProgress = null;
      return report(running);
    }
    boolean asked = requested.getAndSet(false);
    TermIndex last = getLastAppliedTermIndex();
    SingleFileSnapshotInfo latest = latestSnapshot.get();
    if (last == null || last.getIndex() < 0) {
      return NOTHING_NEW;
    } else if (latest != null && latest.getIndex() >= last.getIndex()) {
      return latest.getIndex();
    }
    if (!asked && policy.defers(stateBytes(), logBytesSinceSnapshot.get(), logShare)) {
      return NOTHING_NEW;
    }
    boolean stopping = stopping();
    if (!asked && !stopping && reportRequestPending.get()) {
      return NOTHING_NEW; // the writer's request for a report that an applied entry already made
    }
    long started = System.nanoTime();
    SnapshotFile.BodyWriter frozen = freezeState();
    SnapshotInProgress next = new SnapshotInProgress(last, storage.getSnapshotFile(last.getTerm(), last.getIndex()),
        logBytesSinceSnapshot.get(), System.nanoTime() - started, frozen, stopping ? Runnable::run : snapshotWrites);
    if (next.written.isDone()) {
      return report(next);
    }
    inProgress = next;
    next.written.thenRun(() -> askToReport(next));
    return NOTHING_NEW;
  }

  private boolean stopping() {
    return division().map(d -> d.getInfo().getLifeCycleState().isClosingOrClosed()).orElse(true);
  }

  /** Called holding the lock, with the snapshot written (or waits for it): Ratis gets its index now. */
  private long report(SnapshotInProgress done) throws IOException {
    SnapshotFile.Stored stored = done.awaitWritten();
    keep(done.file, done.termIndex);
    logBytesSinceSnapshot.addAndGet(-done.logBytesCovered);
    logShare = policy.drawShare(ThreadLocalRandom.current());
    LOG.info("{}: took snapshot {} ({} bytes, after {} bytes of log): applies held {} ms to freeze the state, then written in {} ms beside them",
        getId(), done.termIndex, stored.bytes(), done.logBytesCovered, done.freezeNanos / 1_000_000, done.writeNanos() / 1_000_000);
    done.reported.complete(done.termIndex.getIndex());
    return done.termIndex.getIndex();
  }

  /** The snapshot is on disk: have Ratis call {@link #takeSnapshot} now, not at the next applied entry. */
  private void askToReport(SnapshotInProgress written) {
    RaftServer server = getServer().getNow(null);
    if (server == null || inProgress != written) {
      return;
    }
    reportRequestPending.set(true);
    server.snapshotManagementAsync(snapshotRequest(REPORT_TIMEOUT_MS)).whenComplete((reply, failure) -> {
      reportRequestPending.set(false);
      if (failure != null || !reply.isSuccess()) {
        LOG.debug("{}: snapshot {} to be reported at the next applied entry: {}", getId(), written.termIndex,
            failure != null ? failure.toString() : reply.getException());
      }
    });
  }

  private SnapshotManagementRequest snapshotRequest(long timeoutMs) {
    // creation gap 1: any entry applied since the latest reported snapshot is worth one
    return SnapshotManagementRequest.newCreate(ownClient, getId(), getGroupId(), ownCalls.incrementAndGet(), timeoutMs, 1);
  }

  /**
   * A snapshot of the state as of this call, written beside the applies: completes with its index once Ratis
   * knows of it (it purges its log up to there next). One already being written is waited for first, and
   * followed by a newer one if it is older than this call. The {@link SnapshotPolicy} does not defer it.
   */
  public CompletableFuture<Long> snapshotNow() {
    return snapshotReaching(appliedIndex(), false, SNAPSHOT_NOW_REQUESTS);
  }

  /**
   * As {@link #snapshotNow}, but completes as soon as the snapshot is being written: a replica that installs one
   * from here meanwhile reads it as it is written ({@link #snapshotBeingWritten}).
   */
  public CompletableFuture<Long> snapshotBegun() {
    return snapshotReaching(appliedIndex(), true, SNAPSHOT_NOW_REQUESTS);
  }

  private long appliedIndex() {
    TermIndex now = getLastAppliedTermIndex();
    return now == null ? 0 : now.getIndex();
  }

  /**
   * A snapshot newer than {@link #latestSnapshot}, being written or written and not yet reported, when it can be
   * read while written (its body knows its size ahead: the KV state's does).
   */
  public Optional<GrowingSnapshotFile> snapshotBeingWritten() {
    SnapshotInProgress running = inProgress;
    return running == null || running.written.isCompletedExceptionally() ? Optional.empty() : Optional.ofNullable(running.growing);
  }

  private CompletableFuture<Long> snapshotReaching(long wanted, boolean begunIsEnough, int requestsLeft) {
    RaftServer server = getServer().getNow(null);
    if (server == null) {
      return CompletableFuture.failedFuture(new IOException(getId() + ": not in a Raft server"));
    }
    requested.set(true);
    return server.snapshotManagementAsync(snapshotRequest(SNAPSHOT_NOW_TIMEOUT_MS)).thenCompose(reply -> {
      if (!reply.isSuccess()) {
        return CompletableFuture.failedFuture(reply.getException() != null ? reply.getException()
            : new IOException("snapshot request refused: " + reply));
      }
      SnapshotInProgress running = inProgress; // read before the latest: a report in between shows in the latest
      long latest = latestSnapshot().map(SingleFileSnapshotInfo::getIndex).orElse(-1L);
      if (latest >= wanted) {
        return CompletableFuture.completedFuture(latest);
      } else if (running != null && begunIsEnough && running.termIndex.getIndex() >= wanted) {
        return CompletableFuture.completedFuture(running.termIndex.getIndex());
      } else if (running != null) {
        return running.reported.thenCompose(reported -> snapshotReaching(wanted, begunIsEnough, requestsLeft));
      } else if (requestsLeft <= 1) {
        return CompletableFuture.failedFuture(new IOException("no snapshot reached index " + wanted + " (latest " + latest + ")"));
      }
      // Ratis answers a request that came while another was pending with that one's result: ask again
      return snapshotReaching(wanted, begunIsEnough, requestsLeft - 1);
    });
  }

  /**
   * Before a snapshot from the leader replaces the state: one still being written of the old state is
   * waited for, never reported, and deleted. Waited for holding the lock, so no {@link #takeSnapshot} freezes
   * the state again while the writer still reads the frozen one.
   */
  private void discardInProgress() {
    SnapshotInProgress running;
    synchronized (this) {
      running = inProgress;
      inProgress = null;
      if (running == null) {
        return;
      }
      running.reported.completeExceptionally(new IOException("snapshot " + running.termIndex + " discarded: the replica installs the leader's"));
      running.awaitEnd().ifPresent(e -> LOG.debug("{}: discarded snapshot {} was not written: {}", getId(), running.termIndex, e.toString()));
    }
    deleteQuietly(running.file.toPath());
  }

  /** A snapshot still being written finishes first: a group being removed deletes its directory next. */
  @Override
  public void close() throws IOException {
    SnapshotInProgress running = inProgress;
    if (running != null) {
      running.awaitEnd().ifPresent(e -> LOG.warn("{}: snapshot {} was not written: {}", getId(), running.termIndex, e.toString()));
    }
    super.close();
  }

  /** Makes a snapshot file that this process wrote or received (and so checked) the latest one. */
  private void keep(File file, TermIndex termIndex) {
    checkedSnapshot = file.toPath();
    remember(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), null), termIndex));
  }

  /** The newest local snapshot file and its term/index, for serving it to a replica that needs it. */
  public Optional<SingleFileSnapshotInfo> latestSnapshot() {
    return Optional.ofNullable(latestSnapshot.get());
  }

  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    return latestSnapshot.get();
  }

  private void remember(SingleFileSnapshotInfo snapshot) {
    storage.updateLatestSnapshot(snapshot);
    latestSnapshot.accumulateAndGet(snapshot, (previous, next) -> previous == null || next.getIndex() > previous.getIndex() ? next : previous);
  }

  @Override
  public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo, TermIndex firstTermIndexInLog) {
    String leader = leaderOf(roleInfo);
    if (leader == null) {
      return CompletableFuture.failedFuture(new IOException("no known leader to fetch the snapshot from"));
    }
    Path download = storage.getSnapshotFile(0, 0).toPath().resolveSibling("download-" + System.nanoTime() + ".tmp");
    LOG.info("{}: leader {} needs us to install a snapshot (its log starts at {})", getId(), leader, firstTermIndexInLog);
    long started = System.nanoTime();
    return snapshotSource.download(getGroupId(), leader, download).thenApply(received -> {
      if (received == null) {
        deleteQuietly(download);
        LOG.info("{}: leader {} has no snapshot yet; the log from its start will do", getId(), leader);
        return null;
      }
      TermIndex termIndex = received.termIndex();
      try {
        File file = storage.getSnapshotFile(termIndex.getTerm(), termIndex.getIndex());
        Files.move(download, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        keep(file, termIndex);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      bytesReceived.addAndGet(received.file().bytes());
      installedSnapshotBytes = received.file().bytes();
      installedSnapshotIndex = termIndex.getIndex();
      LOG.info("{}: received snapshot {} ({} bytes, checked on arrival) from {} in {} ms", getId(), termIndex,
          received.file().bytes(), leader, (System.nanoTime() - started) / 1_000_000);
      return termIndex;
    }).whenComplete((ok, failure) -> {
      if (failure != null) {
        LOG.warn("{}: snapshot download from {} failed: {}", getId(), leader, failure.toString());
        deleteQuietly(download);
      }
    });
  }

  /**
   * An entry that changes nothing, if the subclass has one. The leader appends it when a replica reports a
   * snapshot installed: Ratis counts a joining replica as caught up only when its match index moves, and
   * after a snapshot that covers the whole log nothing else moves it in an idle group (the membership change
   * then waited for the leader's periodic check, up to the 4 s maximum election timeout).
   */
  protected Optional<Message> emptyEntry() {
    return Optional.empty();
  }

  @Override
  public void notifySnapshotInstalled(InstallSnapshotResult result, long snapshotIndex, RaftPeer peer) {
    RaftServer server = getServer().getNow(null);
    Optional<Message> entry = emptyEntry();
    if (result != InstallSnapshotResult.SUCCESS || peer == null || peer.getId().equals(getId()) || server == null
        || entry.isEmpty()) {
      return; // a replica's own notice, or nothing to append
    }
    RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(ownClient).setServerId(getId())
        .setGroupId(getGroupId()).setCallId(ownCalls.incrementAndGet()).setMessage(entry.get())
        .setType(RaftClientRequest.writeRequestType()).build();
    try {
      server.submitClientRequestAsync(request).whenComplete((reply, failure) -> {
        if (failure != null || !reply.isSuccess()) {
          LOG.debug("{}: no empty entry after {} installed a snapshot: {}", getId(), peer.getId(),
              failure != null ? failure.toString() : reply.getException());
        }
      });
    } catch (IOException e) {
      LOG.debug("{}: no empty entry after {} installed a snapshot: {}", getId(), peer.getId(), e.toString());
    }
  }

  private String leaderOf(RoleInfoProto roleInfo) {
    if (roleInfo.hasFollowerInfo() && roleInfo.getFollowerInfo().hasLeaderInfo()) {
      String id = roleInfo.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
      if (!id.isEmpty()) {
        return id;
      }
    }
    return division().map(d -> d.getInfo().getLeaderId()).map(RaftPeerId::toString).orElse(null);
  }

  /**
   * Earlier builds kept an MD5 beside each snapshot, and Ratis prefers a snapshot that has one when it picks
   * the latest: an older one with an MD5 would win over a newer one without.
   */
  private void forgetMd5Files() throws IOException {
    File dir = storage.getSnapshotFile(0, 0).getParentFile();
    File[] md5Files = dir.listFiles((d, name) -> name.endsWith(MD5FileUtil.MD5_SUFFIX));
    for (File md5 : md5Files == null ? new File[0] : md5Files) {
      Files.deleteIfExists(md5.toPath());
    }
  }

  private void loadLatestSnapshot() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    Path file = snapshot.getFile().getPath();
    long started = System.nanoTime();
    clearState();
    readState(SnapshotFile.map(file, file.equals(checkedSnapshot)));
    remember(snapshot);
    logBytesSinceSnapshot.set(0);
    TermIndex termIndex = snapshot.getTermIndex();
    updateLastAppliedTermIndex(termIndex.getTerm(), termIndex.getIndex());
    LOG.info("{}: loaded snapshot {} in {} ms", getId(), termIndex, (System.nanoTime() - started) / 1_000_000);
  }

  /** Counts the bytes of an applied log entry as received by this replica. */
  protected void countEntryBytes(long bytes) {
    bytesReceived.addAndGet(bytes);
    logBytesSinceSnapshot.addAndGet(bytes);
  }

  /**
   * Bytes of the log entries applied since the latest snapshot (since the start when there is none): what a
   * replica joining now would replay after installing that snapshot.
   */
  public long logBytesSinceSnapshot() {
    return logBytesSinceSnapshot.get();
  }

  public long bytesReceived() {
    return bytesReceived.get();
  }

  public boolean snapshotInstalled() {
    return installedSnapshotIndex >= 0;
  }

  /** Size of the snapshot last installed from a leader (this replica may have taken newer ones of its own since). */
  public long installedSnapshotBytes() {
    return installedSnapshotBytes;
  }

  public long installedSnapshotIndex() {
    return installedSnapshotIndex;
  }

  /** This replica's Ratis division, once the server has created it. */
  public Optional<RaftServer.Division> division() {
    try {
      RaftServer server = getServer().getNow(null);
      return server == null || getGroupId() == null ? Optional.empty() : Optional.of(server.getDivision(getGroupId()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", path, e.toString());
    }
  }
}
