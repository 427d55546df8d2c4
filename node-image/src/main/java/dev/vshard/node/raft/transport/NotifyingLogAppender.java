package dev.vshard.node.raft.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotReplyProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotResult;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.rpc.CallId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppenderBase;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.util.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's appender for one follower over a request-reply transport. One request is in flight at a time and
 * each carries every entry that accumulated while the previous one travelled (up to the appender's byte limit):
 * under load the entries of many writes share one round trip, which is where the transport's speed comes from.
 *
 * <p>A follower whose next entry is no longer in the leader's log (or a new replica that has not tried one yet)
 * is told to install a snapshot and fetches it itself ({@code FileSnapshotStateMachine}); it is told again every
 * {@link #NOTIFY_INTERVAL_MS} until it answers that the snapshot is installed. Each notice also counts as the
 * leader's heartbeat at the follower, so a voter that installs does not start an election.
 */
final class NotifyingLogAppender extends LogAppenderBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyingLogAppender.class);

  /**
   * Between two notices to a follower that installs a snapshot. The answer to a notice is the only way the
   * leader learns that the install ended, so this bounds the delay it adds to a catch-up; a notice costs one
   * small request.
   */
  static final long NOTIFY_INTERVAL_MS = 20;

  /**
   * After the follower answered that it does not host the group: a replica removed while the leader still
   * stages it (a rollback during BaseCopy; Ratis ends that staging on its own). Calls to it are useless, and
   * one that arrives while the node hosts the group anew can catch the new replica before its log is open.
   */
  static final long NOT_HOSTED_BACKOFF_MS = 1000;

  /** The longest wait between two calls to a follower that keeps failing. */
  static final long MAX_RETRY_WAIT_MS = 1000;

  /** No request before this {@link System#nanoTime()}: after a notice, a failed call or nothing to send. */
  private long quietUntilNanos = System.nanoTime();
  private boolean installNoticeLogged;
  private int failuresInARow;
  /** Whether a staged follower answered how far its log goes ({@link #probing}). */
  private boolean probed;

  private final InstallNoticeLanes noticeLanes;
  private final FollowerProgress progress;

  NotifyingLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower,
      InstallNoticeLanes noticeLanes, FollowerProgress progress) {
    super(server, leaderState, follower);
    this.noticeLanes = noticeLanes;
    this.progress = progress;
    progress.track(server.getMemberId(), follower);
  }

  @Override
  public long getCallId() {
    return CallId.get();
  }

  @Override
  public Comparator<Long> getCallIdComparator() {
    return CallId.getComparator();
  }

  @Override
  public void run() throws InterruptedException, IOException {
    try {
      appendWhileRunning();
    } finally {
      progress.untrack(getServer().getMemberId(), getFollower());
    }
  }

  private void appendWhileRunning() throws InterruptedException, IOException {
    while (isRunning()) {
      if (outsideTheConfiguration()) {
        // removes this appender and, the follower being in no configuration, adds none in its place
        LOG.info("{}: the follower left the configuration {}: this appender ends", this, getServer().getRaftConf());
        getLeaderState().restart(this);
        return;
      }
      // a staged follower is asked at once: with no entries to send, the first heartbeat would be due only
      // after a quarter of the election timeout (0.5 s here), and the copy or the cut-over waits for its answer
      boolean probe = probing();
      if (quietMillis() <= 0 && (probe || shouldSendAppendEntries())) {
        TermIndex firstAvailable = probe ? null : shouldNotifyToInstallSnapshot();
        if (firstAvailable != null) {
          notifyToInstall(firstAvailable);
        } else {
          append(probe);
        }
      }
      long waitMs = quietMillis() > 0 ? quietMillis() : hasAppendEntries() ? 0 : getHeartbeatWaitTimeMs();
      if (isRunning() && waitMs > 0) {
        getEventAwaitForSignal().await(waitMs, TimeUnit.MILLISECONDS);
      }
      getLeaderState().checkHealth(getFollower());
    }
  }

  /**
   * A leader elected on a joint configuration starts its term with the new part alone (Ratis's startup entry)
   * and never removes the appenders of the peers only the old part had: a listener the cut-over took out
   * stayed, and the cut-over's next change, which adds that peer back as a voter, failed on it ("Found
   * duplicated element"). Such an appender ends itself. A follower being staged is in no configuration yet and
   * keeps its appender.
   */
  private boolean outsideTheConfiguration() {
    return getServer().getRaftConf().getPeer(getFollowerId(), RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER) == null
        && !getLeaderState().isFollowerBootstrapping(getFollower());
  }

  private long quietMillis() {
    return TimeUnit.NANOSECONDS.toMillis(quietUntilNanos - System.nanoTime());
  }

  private void quietFor(long millis) {
    quietUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /**
   * A follower the leader stages (a new voter or listener) is asked first how far its log goes: a heartbeat whose
   * previous entry is the leader's last. Ratis has every staged follower try a snapshot install, but a cut-over's
   * target joins as a voter with its log up to date (it was a listener a moment before, inside the write pause):
   * a log that reaches into the leader's needs the rest of the log, not 100 MB of snapshot. An empty one
   * answers with next index 0 and installs a snapshot as before.
   */
  private boolean probing() {
    return !probed && getLeaderState().isFollowerBootstrapping(getFollower())
        && !getFollower().hasAttemptedToInstallSnapshot();
  }

  /** Sends the next entries, or a heartbeat; {@code probe}: the heartbeat that asks a staged follower ({@link #probing}). */
  private void append(boolean probe) throws IOException {
    if (probe) {
      getFollower().setNextIndex(getRaftLog().getNextIndex());
    }
    AppendEntriesRequestProto request = newAppendEntriesRequest(CallId.getAndIncrement(), probe);
    if (request == null) {
      // entries exist but none can go now (the next heartbeat is due first): do not spin on it
      quietFor(getWaitTimeMin().toLong(TimeUnit.MILLISECONDS));
      return;
    }
    resetHeartbeatTrigger();
    Timestamp sent = Timestamp.currentTime();
    getFollower().updateLastRpcSendTime(request.getEntriesCount() == 0);
    AppendEntriesReplyProto reply = callFollower("appendEntries", () -> getServerRpc().appendEntries(request));
    if (reply == null) {
      return;
    }
    getFollower().updateLastRespondedAppendEntriesSendTime(sent);
    getLeaderState().onFollowerCommitIndex(getFollower(), reply.getFollowerCommit());
    if (probe && reply.getResult() != AppendResult.NOT_LEADER) {
      onProbed(request, reply);
    }
    switch (reply.getResult()) {
      case SUCCESS -> onAppended(request);
      case NOT_LEADER -> onFollowerTerm(reply.getTerm());
      case INCONSISTENCY -> getFollower().setNextIndex(
          getNextIndexForInconsistency(firstIndexOf(request), reply.getNextIndex()));
      default -> LOG.warn("{}: unexpected appendEntries result {}", this, reply.getResult());
    }
    getLeaderState().onAppendEntriesReply(this, reply);
  }

  /**
   * The follower's log holds the probe's previous entry (SUCCESS: by Raft's log matching it equals the leader's
   * log up to there), or reaches at least the leader's log start (INCONSISTENCY with a next index in the log):
   * no snapshot is needed, only entries.
   */
  private void onProbed(AppendEntriesRequestProto request, AppendEntriesReplyProto reply) {
    probed = true;
    boolean matched = reply.getResult() == AppendResult.SUCCESS && request.hasPreviousLog();
    long next = reply.getNextIndex();
    boolean inLog = reply.getResult() == AppendResult.INCONSISTENCY && next > RaftLog.LEAST_VALID_LOG_INDEX
        && next >= getRaftLog().getStartIndex();
    if (!matched && !inLog) {
      return; // an empty or too short log: Ratis's rule stands, it installs a snapshot
    }
    LOG.info("{}: the staged follower's log {}: no snapshot needed", this,
        matched ? "has the leader's last entry" : "continues the leader's at index " + next);
    getFollower().setAttemptedToInstallSnapshot();
    if (matched) {
      getFollower().updateMatchIndex(request.getPreviousLog().getIndex());
      getLeaderState().onFollowerSuccessAppendEntries(getFollower());
    }
  }

  /**
   * Only sent entries move the follower's indexes here: an ordinary heartbeat's success is not read as a match
   * (a staged follower's probe, which asks on purpose, is read in {@link #onProbed}).
   */
  private void onAppended(AppendEntriesRequestProto request) {
    int count = request.getEntriesCount();
    if (count == 0) {
      return;
    }
    long next = request.getEntries(count - 1).getIndex() + 1;
    if (next > getFollower().getNextIndex()) {
      getFollower().updateMatchIndex(next - 1);
      getFollower().increaseNextIndex(next);
      getLeaderState().onFollowerSuccessAppendEntries(getFollower());
    }
  }

  private static long firstIndexOf(AppendEntriesRequestProto request) {
    return request.getEntriesCount() > 0 ? request.getEntries(0).getIndex() : RaftLog.INVALID_LOG_INDEX;
  }

  private void notifyToInstall(TermIndex firstAvailable) throws InterruptedIOException {
    if (!installNoticeLogged) {
      LOG.info("{}: follower's next index {} is before the log's start {} (or it is new): notifying it to install"
          + " a snapshot", this, getFollower().getNextIndex(), firstAvailable);
      installNoticeLogged = true;
    }
    quietFor(NOTIFY_INTERVAL_MS);
    getFollower().updateLastRpcSendTime(false);
    InstallSnapshotRequestProto notice = newInstallSnapshotNotificationRequest(firstAvailable);
    InstallSnapshotReplyProto reply = callFollower("installSnapshot notification",
        () -> noticeLanes.send(getFollowerId(), () -> getServerRpc().installSnapshot(notice)));
    if (reply == null) {
      return;
    }
    switch (reply.getResult()) {
      case IN_PROGRESS -> LOG.debug("{}: snapshot install in progress", this);
      case SNAPSHOT_INSTALLED -> onSnapshotInstalled(reply.getSnapshotIndex(), true);
      case ALREADY_INSTALLED -> onSnapshotInstalled(reply.getSnapshotIndex(), false);
      case SNAPSHOT_UNAVAILABLE -> {
        // the follower found no snapshot to fetch: the log from its start will do
        LOG.info("{}: follower found no snapshot to install", this);
        getFollower().setAttemptedToInstallSnapshot();
        installNoticeLogged = false;
        notifyInstalled(InstallSnapshotResult.SNAPSHOT_UNAVAILABLE, RaftLog.INVALID_LOG_INDEX);
      }
      case NOT_LEADER -> onFollowerTerm(reply.getTerm());
      default -> LOG.warn("{}: unexpected answer to a snapshot notice: {}", this, reply.getResult());
    }
  }

  private void onSnapshotInstalled(long index, boolean justInstalled) {
    LOG.info("{}: follower has the snapshot at index {}{}", this, index, justInstalled ? " (just installed)" : "");
    getFollower().setSnapshotIndex(index);
    getFollower().setAttemptedToInstallSnapshot();
    getLeaderState().onFollowerCommitIndex(getFollower(), index);
    getFollower().updateNextIndex(index + 1);
    installNoticeLogged = false;
    quietFor(0); // appendEntries may follow at once
    if (justInstalled && index + 1 >= getRaftLog().getStartIndex()) {
      notifyInstalled(InstallSnapshotResult.SUCCESS, index);
    }
  }

  private void notifyInstalled(InstallSnapshotResult result, long index) {
    getServer().getStateMachine().event().notifySnapshotInstalled(result, index, getFollower().getPeer());
  }

  /** The reply to a call to the follower, or null when it failed (the next call then waits). */
  private <T> T callFollower(String name, InstallNoticeLanes.Call<T> call) throws InterruptedIOException {
    T reply;
    try {
      reply = call.run();
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // a RuntimeException out of the transport would end this appender for good (Ratis does not restart it)
      onCallFailed(name, e);
      return null;
    }
    failuresInARow = 0;
    getFollower().updateLastRpcResponseTime();
    return reply;
  }

  /**
   * A failed call (the follower is down, restarting or unreachable): wait before the next, twice as long after
   * each failure in a row up to {@link #MAX_RETRY_WAIT_MS}, so a node that is down for minutes costs the leader
   * one connection attempt a second per group, and a log line every half minute.
   */
  private void onCallFailed(String call, Exception e) {
    failuresInARow++;
    if (failuresInARow % 32 == 1) {
      LOG.warn("{}: {} failed ({} in a row): {}", this, call, failuresInARow, e.toString());
    }
    getServerRpc().handleException(getFollowerId(), e, false);
    long base = getServer().properties().rpcSleepTime().toLong(TimeUnit.MILLISECONDS);
    long backoff = base << Math.min(failuresInARow - 1, 10);
    quietFor(e instanceof GroupMismatchException ? NOT_HOSTED_BACKOFF_MS : Math.min(backoff, MAX_RETRY_WAIT_MS));
  }
}
