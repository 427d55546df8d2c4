package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.node.DataClient;
import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.routing.KeyPlacement;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers that keep overwriting keys of one vShard through all nodes. Each key belongs to one writer thread
 * that writes it sequentially, so "the last acknowledged value" of a key is unambiguous.
 */
final class ConcurrentWriter implements AutoCloseable {
  private static final int KEYS_PER_WRITER = 25;

  private final LoopbackCluster cluster;
  private final DataClient data;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, String> lastAcknowledged = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private volatile boolean running = true;

  private ConcurrentWriter(LoopbackCluster cluster, DataClient data) {
    this.cluster = cluster;
    this.data = data;
  }

  static ConcurrentWriter start(LoopbackCluster cluster, DataClient data, int vshard, int vshards, int writers) {
    ConcurrentWriter writer = new ConcurrentWriter(cluster, data);
    List<String> keys = new ArrayList<>();
    for (int n = 0; keys.size() < writers * KEYS_PER_WRITER; n++) {
      String key = "cw-" + n;
      if (KeyPlacement.vshardOf(key, vshards) == vshard) {
        keys.add(key);
      }
    }
    for (int w = 0; w < writers; w++) {
      List<String> own = keys.subList(w * KEYS_PER_WRITER, (w + 1) * KEYS_PER_WRITER);
      int id = w;
      Thread t = new Thread(() -> writer.loop(id, own), "concurrent-writer-" + w);
      t.setDaemon(true);
      writer.threads.add(t);
      t.start();
    }
    return writer;
  }

  private void loop(int id, List<String> keys) {
    for (long seq = 0; running; seq++) {
      String key = keys.get((int) (seq % keys.size()));
      String value = "w" + id + "-" + seq;
      int via = (int) ((seq + id) % cluster.size());
      try {
        HttpResponse<byte[]> r = data.put(cluster.dataUri(via), key, value.getBytes(StandardCharsets.UTF_8))
            .get(60, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          lastAcknowledged.put(key, value);
          acknowledged.incrementAndGet();
        } else {
          failures.add(key + "=" + value + " via " + via + ": " + r.statusCode() + " "
              + new String(r.body(), StandardCharsets.UTF_8));
        }
      } catch (Exception e) {
        failures.add(key + "=" + value + " via " + via + ": " + e);
      }
    }
  }

  long acknowledged() {
    return acknowledged.get();
  }

  List<String> failures() {
    return failures;
  }

  void awaitAcknowledged(long count) {
    await("writer acknowledged " + count).atMost(Duration.ofSeconds(120)).until(() -> acknowledged.get() >= count);
  }

  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(90).toMillis());
    }
  }

  /** Every key's last acknowledged value is what every node returns now. */
  void assertEveryAcknowledgedWriteReadsBack() {
    assertThat(lastAcknowledged).isNotEmpty();
    for (int via = 0; via < cluster.size(); via++) {
      for (Map.Entry<String, String> e : lastAcknowledged.entrySet()) {
        HttpResponse<byte[]> r = data.get(cluster.dataUri(via), e.getKey()).join();
        assertThat(r.statusCode()).as("GET %s via node %d", e.getKey(), via).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).as("last acknowledged value of %s", e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
