package dev.vshard.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vshard.node.routing.KeyPlacement;
import io.micrometer.core.instrument.DistributionSummary;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Write throughput of a 4-node loopback cluster (RF 3, V 8) in the shape of etcd's benchmark: 16 clients,
 * each with one request outstanding, 1 KB values. Three runs side by side in one JVM, each on a fresh cluster:
 * requests spread over all nodes (most are forwarded to the vShard's leader) with group commit on (the
 * default) and off, a routing-aware client that sends each write to its vShard's leader, and requests spread
 * over all nodes with the commit index logged (Ratis's log metadata, {@code VSHARD_LOG_COMMIT_INDEX=true}). Not part of the
 * build's test run (no *Test suffix); run it with {@value #COMMAND}.
 */
class WriteThroughputBenchmark {
  static final String COMMAND = "mvn -B -q -pl node-image test -Dtest=WriteThroughputBenchmark";
  private static final int CLIENTS = 16;
  private static final int VSHARDS = 8;
  private static final int WARMUP_PUTS = Integer.getInteger("vshard.benchmark.warmupPuts", 40_000);
  private static final int PUTS = Integer.getInteger("vshard.benchmark.puts", 10_000);
  private static final byte[] VALUE = new byte[1024];

  record Result(String label, int puts, double seconds, double p50Millis, double p99Millis, double writesPerEntry) {
    double putsPerSecond() {
      return puts / seconds;
    }

    @Override
    public String toString() {
      return String.format("%-34s %6d puts in %6.2f s = %5.0f puts/s, p50 %5.1f ms, p99 %5.1f ms, %.2f writes per log entry",
          label, puts, seconds, putsPerSecond(), p50Millis, p99Millis, writesPerEntry);
    }
  }

  @Test
  void forwardedWithAndWithoutGroupCommitAndSentToTheLeader() {
    Arrays.fill(VALUE, (byte) 'v');
    // the JVM compiles for well over a minute: a discarded first round keeps that out of whichever row runs first
    run("JIT warm-up (discarded)", 256, false, false, WARMUP_PUTS);
    // the rate still rises run after run as the JIT compiles: the commit index rows run A B B A, and compare sums
    Result grouped = run("any node, group commit (256)", 256, false, false, PUTS);
    Result logged = run("any node, commit index logged", 256, false, true, PUTS);
    Result loggedAgain = run("any node, commit index logged, again", 256, false, true, PUTS);
    Result groupedAgain = run("any node, group commit (256), again", 256, false, false, PUTS);
    Result single = run("any node, one entry per write (1)", 1, false, false, PUTS);
    Result direct = run("to the leader, group commit (256)", 256, true, false, PUTS);
    print("4 nodes, RF 3, V " + VSHARDS + ", " + CLIENTS + " clients with 1 request each, 1 KB values [" + COMMAND + "]");
    print(grouped.toString());
    print(logged.toString());
    print(loggedAgain.toString());
    print(groupedAgain.toString());
    print(single.toString());
    print(direct.toString());
    print(String.format("group commit / one entry per write = %.2fx; to the leader / any node = %.2fx",
        groupedAgain.putsPerSecond() / single.putsPerSecond(), direct.putsPerSecond() / groupedAgain.putsPerSecond()));
    print(String.format("commit index not logged (the default) / logged (VSHARD_LOG_COMMIT_INDEX=true, Ratis's default) = %.2fx",
        (grouped.putsPerSecond() + groupedAgain.putsPerSecond()) / (logged.putsPerSecond() + loggedAgain.putsPerSecond())));
  }

  private static void print(String line) {
    System.out.println("WriteThroughputBenchmark: " + line);
  }

  private static Result run(String label, int writeBatchLimit, boolean toLeader, boolean commitIndexInLog, int puts) {
    try (LoopbackCluster cluster = LoopbackCluster.builder().nodes(4).replicationFactor(3).vshards(VSHARDS)
        .snapshotThreshold(10_000).writeBatchLimit(writeBatchLimit).commitIndexInLog(commitIndexInLog)
        .clusterId("bench" + writeBatchLimit + (toLeader ? "l" : "a") + (commitIndexInLog ? "c" : "") + puts).start()) {
      DataClient client = new DataClient(cluster.http());
      load(cluster, client, "warmup", WARMUP_PUTS, toLeader);
      double entriesBefore = entries(cluster);
      long start = System.nanoTime();
      List<Long> latencies = load(cluster, client, "key", puts, toLeader);
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      return new Result(label, puts, seconds, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
          puts / (entries(cluster) - entriesBefore));
    }
  }

  /** Log entries the data path has submitted so far, over all nodes. */
  private static double entries(LoopbackCluster cluster) {
    double entries = 0;
    for (int n = 0; n < cluster.size(); n++) {
      DistributionSummary sizes = cluster.node(n).meters().find("vshard_kv_writes_per_entry").summary();
      entries += sizes == null ? 0 : sizes.count();
    }
    return entries;
  }

  /** {@link #CLIENTS} clients, each sending its next put when the previous one is answered; every answer must be 200. */
  private static List<Long> load(LoopbackCluster cluster, DataClient client, String prefix, int puts, boolean toLeader) {
    AtomicInteger next = new AtomicInteger();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(putNext(cluster, client, new Load(prefix, puts, toLeader, next, latencies)));
    }
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
    assertThat(latencies).hasSize(puts);
    return new ArrayList<>(latencies);
  }

  private record Load(String prefix, int puts, boolean toLeader, AtomicInteger next, ConcurrentLinkedQueue<Long> latencies) {
  }

  private static CompletableFuture<Void> putNext(LoopbackCluster cluster, DataClient client, Load load) {
    int i = load.next().getAndIncrement();
    if (i >= load.puts()) {
      return CompletableFuture.completedFuture(null);
    }
    String key = load.prefix() + "-" + i;
    int node = load.toLeader() ? leaderOf(cluster, KeyPlacement.vshardOf(key, VSHARDS)) : i % cluster.size();
    long sent = System.nanoTime();
    return client.put(cluster.dataUri(node), key, VALUE).thenCompose((HttpResponse<byte[]> response) -> {
      assertThat(response.statusCode()).as("PUT %s: %s", key, new String(response.body())).isEqualTo(200);
      load.latencies().add(System.nanoTime() - sent);
      return putNext(cluster, client, load);
    });
  }

  /** What a routing-aware client knows from {@code /v1/routing}'s leader hints; here read off the nodes directly. */
  private static int leaderOf(LoopbackCluster cluster, int vshard) {
    for (int n = 0; n < cluster.size(); n++) {
      if (cluster.node(n).raftNode().isLocalLeader(vshard)) {
        return n;
      }
    }
    return 0;
  }
}
