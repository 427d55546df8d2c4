package dev.vshard.node.http;

import dev.vshard.node.raft.FileSnapshotStateMachine;
import dev.vshard.node.raft.GrowingSnapshotFile;
import dev.vshard.node.raft.RaftNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.eclipse.jetty.server.HttpOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/v1/internal/snapshots/{groupId}}: streams this node's latest snapshot of a group (the one
 * being written, if any) to a replica that Ratis told to install one. Sent at {@code VSHARD_INSTALL_THROTTLE} bytes per second when set
 * (a test setting that makes BaseCopy slow enough to interrupt); the pacing waits are the throttle itself.
 */
public final class SnapshotRoutes implements AdminRoutes {
  public static final String TERM_HEADER = "X-Snapshot-Term";
  public static final String INDEX_HEADER = "X-Snapshot-Index";
  /** Set on the 404 that means "hosted here, but no snapshot taken yet" (as opposed to "not hosted here"). */
  public static final String NONE_HEADER = "X-Snapshot-None";
  /** Small, so the pacing is smooth. */
  private static final int THROTTLED_CHUNK = 16 * 1024;
  /** Mapped and written at once: few writes for a big snapshot, and any size of file. */
  private static final long MAPPED_WRITE = 64L << 20;
  private static final long MIN_MAPPED_WRITE = 4L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRoutes.class);

  private final RaftNode raft;
  private final long bytesPerSecond;

  public SnapshotRoutes(RaftNode raft, long bytesPerSecond) {
    this.raft = raft;
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public void register(Javalin app) {
    app.get("/admin/v1/internal/snapshots/{groupId}", this::serve);
  }

  private void serve(Context ctx) throws IOException {
    RaftGroupId groupId;
    try {
      groupId = RaftGroupId.valueOf(UUID.fromString(ctx.pathParam("groupId")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("not a group id: '" + ctx.pathParam("groupId") + "'", "groupId");
    }
    RaftServer.Division division;
    try {
      division = raft.server().getDivision(groupId);
    } catch (IOException e) {
      throw ApiException.notFound("NotHosted", "group " + groupId + " is not hosted on this node", "groupId");
    }
    if (!(division.getStateMachine() instanceof FileSnapshotStateMachine machine)) {
      throw ApiException.notFound("NotHosted", "group " + groupId + " has no snapshots here", "groupId");
    }
    Optional<GrowingSnapshotFile> growing = machine.snapshotBeingWritten();
    if (growing.isPresent()) {
      serveWhileWritten(ctx, growing.get());
      return;
    }
    SingleFileSnapshotInfo snapshot = machine.latestSnapshot().orElse(null);
    if (snapshot == null) {
      ctx.header(NONE_HEADER, "true");
      throw ApiException.notFound("NoSnapshot", "no snapshot of group " + groupId + " on this node yet", "groupId");
    }
    // open before answering: a newer snapshot may replace this file meanwhile, the open channel keeps it readable
    try (FileChannel file = FileChannel.open(snapshot.getFile().getPath(), StandardOpenOption.READ)) {
      answer(ctx, snapshot.getTermIndex(), file.size());
      if (bytesPerSecond > 0) {
        sendPaced(Channels.newInputStream(file), ctx.outputStream());
      } else {
        long size = file.size();
        sendMapped(file, size, written -> size, (HttpOutput) ctx.res().getOutputStream());
      }
    }
  }

  /**
   * A snapshot still being written (taken for a learner that joins now) is sent as it grows: the download
   * overlaps the write instead of following it. Should the write fail, the response ends short of its length
   * and the receiver refuses it ({@code SnapshotFile.receive}); the next notice fetches the latest snapshot.
   */
  private void serveWhileWritten(Context ctx, GrowingSnapshotFile growing) throws IOException {
    long started = System.nanoTime();
    long bytes = growing.fileBytes();
    if (bytesPerSecond > 0) {
      try (InputStream in = growing.open()) {
        answer(ctx, growing.termIndex(), bytes);
        sendPaced(in, ctx.outputStream());
      }
    } else {
      try (FileChannel file = growing.openChannel()) {
        answer(ctx, growing.termIndex(), bytes);
        sendMapped(file, bytes, growing::awaitBeyond, (HttpOutput) ctx.res().getOutputStream());
      }
    }
    LOG.info("sent snapshot {} of group {} while it was written: {} bytes in {} ms", growing.termIndex(),
        ctx.pathParam("groupId"), bytes, (System.nanoTime() - started) / 1_000_000);
  }

  private static void answer(Context ctx, TermIndex snapshot, long bytes) {
    ctx.header(TERM_HEADER, String.valueOf(snapshot.getTerm()));
    ctx.header(INDEX_HEADER, String.valueOf(snapshot.getIndex()));
    ctx.contentType("application/octet-stream");
    // a known length spares the receiver chunked decoding (a fifth of a 100 MB download); the admin server
    // does not compress, so the length stays true
    ctx.header("Content-Length", String.valueOf(bytes));
  }

  /**
   * The file's pages go to the socket as they are: read into a heap buffer, they were copied twice more on
   * their way (into the buffer, then into the JDK's direct buffer for the socket write).
   */
  private static void sendMapped(FileChannel file, long size, WrittenBeyond written, HttpOutput out) throws IOException {
    long at = 0;
    while (at < size) {
      // of a file being written, at least a few MB per mapping (it grows 64 KB at a time)
      long end = Math.min(Math.min(written.awaitBeyond(Math.min(at + MIN_MAPPED_WRITE, size) - 1), size), at + MAPPED_WRITE);
      if (end <= at) {
        throw new IOException("snapshot file ended at byte " + at + " of " + size);
      }
      out.write(file.map(FileChannel.MapMode.READ_ONLY, at, end - at));
      at = end;
    }
    out.flush();
  }

  /** How far a file is written: waits until it is past {@code position} (at once for a finished file). */
  @FunctionalInterface
  private interface WrittenBeyond {
    long awaitBeyond(long position) throws IOException;
  }

  private void sendPaced(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[THROTTLED_CHUNK];
    long start = System.nanoTime();
    long sent = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      sent += n;
      pace(start, sent);
    }
    out.flush();
  }

  private void pace(long startNanos, long sent) {
    if (bytesPerSecond <= 0) {
      return;
    }
    long due = startNanos + TimeUnit.SECONDS.toNanos(1) * sent / bytesPerSecond;
    long ahead = due - System.nanoTime();
    if (ahead > 0) {
      LockSupport.parkNanos(ahead);
    }
  }
}
