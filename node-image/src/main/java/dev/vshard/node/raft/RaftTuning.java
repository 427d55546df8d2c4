package dev.vshard.node.raft;

import dev.vshard.node.NodeConfig;
import dev.vshard.node.raft.transport.NettyTransport;
import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis properties for a server hosting many small groups, and for its clients. Why each value:
 * <ul>
 *   <li>the transport: Ratis's Netty RPC with an appender that notifies snapshot installs
 *       ({@link NettyTransport});</li>
 *   <li>election timeouts 2-4 s: a 2-core machine runs several JVMs with dozens of groups; with 1-2 s, CPU
 *       starvation (load average far above the core count) caused needless elections and re-routed writes;</li>
 *   <li>async flush: the log fsyncs in batches while commit still waits for the flush index, so many
 *       pipelined writes share one fsync (the main lever for throughput);</li>
 *   <li>purge up to the snapshot: logs are really dropped after each snapshot, so a replica that joins late
 *       gets a snapshot install, not a full log replay; but never the last {@value #PURGE_PRESERVED_ENTRIES}
 *       entries: a purge cuts whole segments, and with segments of 4 entries of 64 KB a voter 4 entries behind
 *       the leader had to download the whole snapshot (105 MB, beside the learner it was taken for, which made
 *       both downloads take twice as long);</li>
 *   <li>log segments of 8 MB ({@code VSHARD_LOG_SEGMENT_SIZE}): the log worker that appends and fsyncs entries
 *       also deletes the purged segments, and with 256 KB segments purging a 105 MB log deleted 589 files in
 *       177 ms, just as a joining learner's catch-up and membership change waited on that worker; the tests
 *       that purge a few MB use small segments;</li>
 *   <li>no commit index in the log by default ({@code VSHARD_LOG_COMMIT_INDEX}): Ratis's leader otherwise
 *       appends an entry of its own after each commit and sends it at once, a second append, fsync and round
 *       trip at every follower per commit; without it writes ran 1.33x faster
 *       ({@code WriteThroughputBenchmark}, the two settings run A B B A after a 40,000-put warm-up). The cost: a restarted replica applies its log past its snapshot only
 *       once a leader tells it the commit index (Raft's own rule), so it is ready a leader election later;</li>
 *   <li>snapshot install by notification (set with the transport; the leader does not push chunks): the new
 *       replica downloads the leader's snapshot over HTTP ({@code SnapshotDownloader}), which is throttleable
 *       and counts real bytes;</li>
 *   <li>linearizable reads served with a leader lease: reads at the leader need no extra round while the lease holds;</li>
 *   <li>no snapshot when a group is removed: its data is deleted with it (the source after a cut-over, the
 *       target of a rollback), and writing a 100 MB snapshot first delayed the cut-over's last step by 0.4 s.</li>
 * </ul>
 */
public final class RaftTuning {
  /** Entries a purge leaves before the log's end, for followers a few entries behind. */
  private static final long PURGE_PRESERVED_ENTRIES = 32;
  public static final long DEFAULT_SEGMENT_BYTES = 8L << 20;
  public static final long MIN_SEGMENT_BYTES = 64L << 10;
  /** Ratis fills a segment with zeros this far ahead of its writes, up to the segment's size. */
  private static final long PREALLOCATED_BYTES = 1L << 20;

  private RaftTuning() {
  }

  public static RaftProperties serverProperties(NodeConfig config, File storageDir) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(storageDir));
    NettyTransport.server(p, config.bindHost(), config.raftPort());
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(4000, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(8000, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);

    RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, true);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(PREALLOCATED_BYTES, config.logSegmentBytes())));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf("1MB"));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, PURGE_PRESERVED_ENTRIES);
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, config.commitIndexInLog());
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf("512KB"));
    RaftServerConfigKeys.Write.setElementLimit(p, 8192);

    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.max(1, config.snapshotThreshold() / 2));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Snapshot.setTriggerWhenRemoveEnabled(p, false);

    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
    return p;
  }

  public static RaftProperties clientProperties() {
    RaftProperties p = NettyTransport.client(new RaftProperties());
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 1000);
    return p;
  }
}
