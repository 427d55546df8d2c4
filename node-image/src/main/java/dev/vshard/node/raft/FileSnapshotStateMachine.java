package dev.vshard.node.raft;

import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 */
public abstract class FileSnapshotStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStateMachine.class);

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
  private final ClientId emptyEntryClient = ClientId.randomId();
  private final AtomicLong emptyEntryCalls = new AtomicLong();
  /** The snapshot file this process last wrote or received: checked then, so loading it skips a second pass. */
  private volatile Path checkedSnapshot;

  protected FileSnapshotStateMachine(SnapshotSource snapshotSource) {
    this.snapshotSource = snapshotSource;
  }

  /** Writes the whole state (called on the apply thread, so no apply runs meanwhile). */
  protected abstract void writeState(DataOutputStream out) throws IOException;

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

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return -1;
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    long started = System.nanoTime();
    SnapshotFile.Stored stored = SnapshotFile.write(file.toPath(), this::writeState);
    // Ratis calls this on the thread that applies entries: they wait while the snapshot is written
    LOG.info("{}: took snapshot {} ({} bytes) in {} ms", getId(), last, stored.bytes(), (System.nanoTime() - started) / 1_000_000);
    keep(file, last);
    logBytesSinceSnapshot.set(0);
    return last.getIndex();
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
    RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(emptyEntryClient).setServerId(getId())
        .setGroupId(getGroupId()).setCallId(emptyEntryCalls.incrementAndGet()).setMessage(entry.get())
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
