package dev.vshard.node.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.raft.SnapshotPolicy;
import dev.vshard.node.raft.transport.NettyTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's snapshot is written beside its applies: on a real one-member Ratis group whose snapshot writer is
 * held shut, writes keep committing, Ratis is told of the snapshot only once the file is on disk (and only then
 * purges its log), and the file holds the state of the index it was frozen at, not the later writes. Above
 * the {@link SnapshotPolicy}'s floor (64 KB here: 62 keys of 1 KB) Ratis's entry trigger is deferred until the
 * log since the last snapshot is as large as the state, and so is the one at stop; a requested snapshot is not.
 */
class BackgroundSnapshotTest {
  private static final RaftGroupId GROUP = RaftGroupId.randomId();
  private static final int THRESHOLD = 50;
  private static final byte[] VALUE = new byte[1024];
  private static final SnapshotPolicy POLICY = new SnapshotPolicy(64 << 10, 1.0, 0);

  @TempDir
  Path dir;
  private final HeldExecutor writer = new HeldExecutor();
  private RaftServer server;
  private RaftClient client;
  private KvStateMachine machine;

  @BeforeEach
  void start() throws Exception {
    int port = LoopbackCluster.freePorts(1)[0];
    RaftPeer peer = RaftPeer.newBuilder().setId("s0").setAddress("127.0.0.1:" + port).build();
    RaftGroup group = RaftGroup.valueOf(GROUP, peer);
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(dir.resolve("server").toFile()));
    NettyTransport.server(p, "127.0.0.1", port);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("16KB"));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false); // one log index per write, as the nodes run
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, THRESHOLD);
    machine = StandaloneKvMachines.of(writer, POLICY);
    server = RaftServer.newBuilder().setServerId(peer.getId()).setGroup(group).setOption(RaftStorage.StartupOption.FORMAT)
        .setProperties(p).setStateMachine(machine).build();
    server.start();
    client = RaftClient.newBuilder().setProperties(NettyTransport.client(new RaftProperties())).setRaftGroup(group).build();
  }

  @AfterEach
  void stop() throws Exception {
    writer.open(); // a stopping replica waits for the snapshot being written
    client.close();
    server.close();
    writer.close();
  }

  @Test
  void writesCommitWhileTheSnapshotIsWrittenAndRatisLearnsOfItOnceOnDisk() throws Exception {
    long[] indexes = put(0, THRESHOLD + 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> writer.received() == 1);

    long[] later = put(THRESHOLD + 10, 200); // the writer is still held: these commit beside it
    assertThat(writer.received()).as("one snapshot in progress, not one per apply").isEqualTo(1);
    assertThat(machine.latestSnapshot()).as("not reported before it is on disk").isEmpty();
    assertThat(division().getRaftLog().getStartIndex()).as("nothing purged yet").isZero();

    writer.open(); // no write follows: the replica has Ratis told of the snapshot itself
    SingleFileSnapshotInfo snapshot = await().atMost(Duration.ofSeconds(30)).until(() -> machine.latestSnapshot().orElse(null),
        s -> s != null);
    assertThat(snapshot.getIndex()).as("frozen once %d entries were applied, before the later writes", THRESHOLD)
        .isBetween((long) THRESHOLD - 1, later[0] - 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> division().getRaftLog().getStartIndex() > 0);

    long written = Arrays.stream(indexes).filter(i -> i <= snapshot.getIndex()).count();
    assertThat(keysIn(snapshot)).as("the snapshot holds the state of its index").isEqualTo(written);
    assertThat(machine.keyCount()).isEqualTo(indexes.length + later.length);
  }

  @Test
  void aStateAboveTheFloorIsSnapshottedOnlyOnceTheLogSinceTheLastOneIsAsLarge() throws Exception {
    writer.open();
    put(0, THRESHOLD + 10); // 61 KB: under the floor, the entry trigger alone
    long first = await().atMost(Duration.ofSeconds(30)).until(this::latestIndex, i -> i >= THRESHOLD - 1);

    put(THRESHOLD + 10, 60); // now 123 KB of state, with at most 71 entries (76 KB) of log since the first snapshot
    long applied = machine.getLastAppliedTermIndex().getIndex();
    assertThat(applied - first).as("past the entry trigger").isGreaterThanOrEqualTo(THRESHOLD);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> writer.received() == 1);
    assertThat(latestIndex()).as("deferred: no snapshot after the first").isEqualTo(first);

    put(0, 2 * THRESHOLD + 20); // the same keys again: the state stays 123 KB while the log grows past it
    long second = await().atMost(Duration.ofSeconds(30)).until(this::latestIndex, i -> i > first);
    long stateBytes = (THRESHOLD + 10 + 60) * (long) VALUE.length;
    assertThat(second - first).as("taken once about %d bytes of 1 KB entries were logged since the first", stateBytes)
        .isGreaterThanOrEqualTo(stateBytes / (VALUE.length + 100));
    assertThat(writer.received()).isEqualTo(2);

    put(0, 20);
    server.close(); // Ratis takes a snapshot at stop: with 20 entries of log since the last one, not of this state
    assertThat(latestIndex()).as("no snapshot at stop").isEqualTo(second);
  }

  /**
   * With 80 KB of state (above the floor) and 30 entries of log since the first snapshot, the policy would defer
   * a triggered one: a requested one is taken.
   */
  @Test
  void aSnapshotNowWaitsForTheOneBeingWrittenThenTakesOneAsOfItsCall() throws Exception {
    put(0, THRESHOLD + 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> writer.received() == 1);
    long[] later = put(THRESHOLD + 10, 20);

    CompletableFuture<Long> now = machine.snapshotNow();
    assertThat(now).as("the first snapshot is still held").isNotDone();
    writer.open();
    long index = now.get(30, TimeUnit.SECONDS);

    assertThat(index).as("as of the call: after the last write").isGreaterThanOrEqualTo(later[later.length - 1]);
    assertThat(writer.received()).as("the held one, then a newer one").isEqualTo(2);
    SingleFileSnapshotInfo latest = machine.latestSnapshot().orElseThrow();
    assertThat(latest.getIndex()).isEqualTo(index);
    assertThat(keysIn(latest)).isEqualTo(THRESHOLD + 10 + 20);
  }

  /** Puts keys k{from}.. one entry each; returns their log indexes. */
  private long[] put(int from, int count) throws Exception {
    List<CompletableFuture<RaftClientReply>> writes = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      writes.add(client.async().send(KvBatch.encode(List.of(KvCommand.put("k" + i, VALUE)))));
    }
    long[] indexes = new long[count];
    for (int i = 0; i < count; i++) {
      RaftClientReply reply = writes.get(i).get(30, TimeUnit.SECONDS);
      assertThat(reply.isSuccess()).as(reply.toString()).isTrue();
      indexes[i] = reply.getLogIndex();
    }
    return indexes;
  }

  /** Loads a copy of the snapshot file into a fresh state machine, outside the server. */
  private long keysIn(SingleFileSnapshotInfo snapshot) throws IOException {
    Path file = snapshot.getFile().getPath();
    KvStateMachine loaded = StandaloneKvMachines.writingInline();
    try (RaftStorage storage = RaftStorage.newBuilder().setDirectory(dir.resolve("copy-" + file.getFileName()).toFile())
        .setOption(RaftStorage.StartupOption.FORMAT).setStorageFreeSpaceMin(SizeInBytes.valueOf("1MB")).build()) {
      storage.initialize();
      Files.copy(file, storage.getStorageDir().getStateMachineDir().toPath().resolve(file.getFileName()));
      loaded.initialize(server, GROUP, storage);
      return loaded.keyCount();
    } finally {
      loaded.close();
    }
  }

  private long latestIndex() {
    return machine.latestSnapshot().map(SingleFileSnapshotInfo::getIndex).orElse(-1L);
  }

  private RaftServer.Division division() throws IOException {
    return server.getDivision(GROUP);
  }

  /** Runs what it is given on its own thread, but nothing before {@link #open}: a snapshot write held for a test. */
  private static final class HeldExecutor implements Executor, AutoCloseable {
    private final CountDownLatch opened = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @Override
    public void execute(Runnable task) {
      received.incrementAndGet();
      thread.execute(() -> {
        try {
          opened.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        task.run();
      });
    }

    int received() {
      return received.get();
    }

    void open() {
      opened.countDown();
    }

    @Override
    public void close() throws InterruptedException {
      thread.shutdown();
      thread.awaitTermination(30, TimeUnit.SECONDS);
    }
  }
}
