package dev.vshard.node.raft.metrics;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis metrics implementation this node installs (found by Ratis through {@code ServiceLoader}, in place of
 * {@code ratis-metrics-default}). Ratis reports its metrics nowhere here (the node's {@code /metrics} is its
 * own), yet the default implementation kept a decaying-sample histogram per timer, updated on the write path
 * (log append, flush, apply: 4.4% of the CPU of a 3-node cluster under steady write load, async-profiler).
 * So timers do nothing, gauges are not kept, and counters (one atomic add) still count.
 * Reporters are refused: with no timers or gauges they would report little.
 */
public final class CountersOnlyRegistries extends MetricRegistries {
  /** A registry lives while any component that created it has not removed it (the API's reference count). */
  private record Counted(CountersOnlyRegistry registry, int references) {
  }

  private final Map<MetricRegistryInfo, Counted> registries = new ConcurrentHashMap<>();

  @Override
  public void clear() {
    registries.clear();
  }

  @Override
  public RatisMetricRegistry create(MetricRegistryInfo info) {
    return registries.compute(info, (key, counted) -> counted == null
        ? new Counted(new CountersOnlyRegistry(key), 1)
        : new Counted(counted.registry(), counted.references() + 1)).registry();
  }

  @Override
  public boolean remove(MetricRegistryInfo info) {
    AtomicBoolean removed = new AtomicBoolean();
    registries.computeIfPresent(info, (key, counted) -> {
      removed.set(counted.references() == 1);
      return removed.get() ? null : new Counted(counted.registry(), counted.references() - 1);
    });
    return removed.get();
  }

  @Override
  public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
    return Optional.ofNullable(registries.get(info)).map(Counted::registry);
  }

  @Override
  public Set<MetricRegistryInfo> getMetricRegistryInfos() {
    return Set.copyOf(registries.keySet());
  }

  @Override
  public Collection<RatisMetricRegistry> getMetricRegistries() {
    return registries.values().stream().map(Counted::registry).map(RatisMetricRegistry.class::cast).toList();
  }

  @Override
  public void addReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration, Consumer<RatisMetricRegistry> stopReporter) {
    throw reportersRefused();
  }

  @Override
  public void enableJmxReporter() {
    throw reportersRefused();
  }

  @Override
  public void enableConsoleReporter(TimeDuration consoleReportRate) {
    throw reportersRefused();
  }

  private static UnsupportedOperationException reportersRefused() {
    return new UnsupportedOperationException("Ratis metric reporters are not supported: this node keeps only Ratis's counters");
  }
}
