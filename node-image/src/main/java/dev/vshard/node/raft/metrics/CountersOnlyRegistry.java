package dev.vshard.node.raft.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;

/** One Ratis component's metrics (see {@link CountersOnlyRegistries}): real counters, no timers, no gauges. */
final class CountersOnlyRegistry implements RatisMetricRegistry {
  private static final Timekeeper.Context UNTIMED = () -> 0L;
  private static final Timekeeper NO_TIMER = () -> UNTIMED;

  private final MetricRegistryInfo info;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  CountersOnlyRegistry(MetricRegistryInfo info) {
    this.info = info;
  }

  @Override
  public Timekeeper timer(String name) {
    return NO_TIMER;
  }

  @Override
  public LongCounter counter(String name) {
    return counters.computeIfAbsent(name, n -> new Counter());
  }

  @Override
  public boolean remove(String name) {
    return counters.remove(name) != null;
  }

  @Override
  public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {
    // not kept: nothing reads Ratis's gauges here (FollowerProgress has the match index the log_appender gauge had)
  }

  @Override
  public MetricRegistryInfo getMetricRegistryInfo() {
    return info;
  }

  private static final class Counter implements LongCounter {
    private final LongAdder count = new LongAdder();

    @Override
    public void inc(long n) {
      count.add(n);
    }

    @Override
    public void dec(long n) {
      count.add(-n);
    }

    @Override
    public long getCount() {
      return count.sum();
    }
  }
}
