package dev.vshard.node.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.raft.SnapshotFile;
import dev.vshard.node.raft.transport.NettyTransport;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KV state machine on a real one-member Ratis group: snapshot, restart from it, snapshot again from the
 * loaded (mapped) values, refuse a corrupted one.
 */
class KvStateMachineSnapshotTest {
  private static final RaftGroupId GROUP = RaftGroupId.randomId();
  private static final List<String> UNUSUAL_KEYS = List.of("clé", "ключ", "键", "emoji-\uD83D\uDE00", "nul-\u0000-inside");

  @TempDir
  Path dir;

  @Test
  void snapshotSurvivesRestartAndCorruptionIsRefused() throws Exception {
    int port = LoopbackCluster.freePorts(1)[0];
    RaftPeer peer = RaftPeer.newBuilder().setId("s0").setAddress("127.0.0.1:" + port).build();
    RaftGroup group = RaftGroup.valueOf(GROUP, peer);

    long snapshotIndex;
    try (RaftServer server = server(port, group, RaftStorage.StartupOption.FORMAT);
         RaftClient client = RaftClient.newBuilder().setProperties(NettyTransport.client(new RaftProperties()))
             .setRaftGroup(group).build()) {
      List<CompletableFuture<RaftClientReply>> writes = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        writes.add(client.async().send(KvBatch.encode(List.of(KvCommand.put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8))))));
      }
      writes.add(client.async().send(KvBatch.encode(List.of(KvCommand.delete("k0")))));
      // keys whose modified UTF-8 is longer than their characters: the snapshot announces its size before it is
      // written (so it can be read while it grows) and refuses to become one if it wrote another
      for (String key : UNUSUAL_KEYS) {
        writes.add(client.async().send(KvBatch.encode(List.of(KvCommand.put(key, key.getBytes(StandardCharsets.UTF_8))))));
      }
      for (CompletableFuture<RaftClientReply> w : writes) {
        assertThat(w.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      RaftClientReply snapshot = client.getSnapshotManagementApi(peer.getId()).create(true, 30_000);
      assertThat(snapshot.isSuccess()).isTrue();
      snapshotIndex = snapshot.getLogIndex();
      KvStateMachine machine = (KvStateMachine) server.getDivision(GROUP).getStateMachine();
      assertThat(machine.latestSnapshot().orElseThrow().getIndex()).isEqualTo(snapshotIndex);
    }

    // a fresh state machine over the same storage loads the snapshot (and nothing else yet)
    KvStateMachine reloaded = StandaloneKvMachines.writingInline();
    try (RaftStorage storage = storage(RaftStorage.StartupOption.RECOVER)) {
      reloaded.initialize(fakeServer(), GROUP, storage);
      assertThat(reloaded.getLastAppliedTermIndex().getIndex()).isEqualTo(snapshotIndex);
      assertThat(reloaded.keyCount()).isEqualTo(199 + UNUSUAL_KEYS.size());
      for (String key : UNUSUAL_KEYS) {
        assertThat(reloaded.localValue(key)).hasValue(key.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(reloaded.localValue("k42")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("v42"));
      assertThat(reloaded.localValue("k0")).isEmpty();
      // its values are slices of the mapped file now: a snapshot taken from them replaces that file's name
      assertThat(reloaded.takeSnapshot()).isEqualTo(snapshotIndex);
      reloaded.close();
    }

    // ... and holds the same state
    KvStateMachine again = StandaloneKvMachines.writingInline();
    try (RaftStorage storage = storage(RaftStorage.StartupOption.RECOVER)) {
      again.initialize(fakeServer(), GROUP, storage);
      assertThat(again.keyCount()).isEqualTo(199 + UNUSUAL_KEYS.size());
      assertThat(again.localValue("k199")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("v199"));
      SingleFileSnapshotInfo latest = again.latestSnapshot().orElseThrow();
      try (RandomAccessFile raf = new RandomAccessFile(latest.getFile().getPath().toFile(), "rw")) {
        raf.seek(raf.length() / 2);
        int b = raf.read();
        raf.seek(raf.length() / 2);
        raf.write(b ^ 0xff);
      }
      again.close();
    }

    KvStateMachine refusing = StandaloneKvMachines.writingInline();
    try (RaftStorage storage = storage(RaftStorage.StartupOption.RECOVER)) {
      assertThatThrownBy(() -> refusing.initialize(fakeServer(), GROUP, storage))
          .isInstanceOf(SnapshotFile.CorruptSnapshotException.class)
          .hasMessageContaining("checksum mismatch");
      assertThat(refusing.keyCount()).isZero();
    }
  }

  /** Only the server id is needed to initialize a state machine outside a server: a fake at that boundary. */
  private static RaftServer fakeServer() {
    return (RaftServer) java.lang.reflect.Proxy.newProxyInstance(RaftServer.class.getClassLoader(), new Class<?>[] {RaftServer.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getId" -> RaftPeerId.valueOf("s0");
          case "getDivision" -> throw new java.io.IOException("not a real server: no divisions");
          case "toString" -> "FakeRaftServer";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private RaftServer server(int port, RaftGroup group, RaftStorage.StartupOption option) throws Exception {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(dir.toFile()));
    NettyTransport.server(p, "127.0.0.1", port);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServer server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf("s0")).setGroup(group).setOption(option)
        .setProperties(p).setStateMachine(StandaloneKvMachines.writingInline())
        .build();
    server.start();
    return server;
  }

  private RaftStorage storage(RaftStorage.StartupOption option) throws Exception {
    RaftStorage storage = RaftStorage.newBuilder().setDirectory(dir.resolve(GROUP.getUuid().toString()).toFile())
        .setOption(option).setStorageFreeSpaceMin(SizeInBytes.valueOf("1MB")).build();
    storage.initialize();
    return storage;
  }
}
