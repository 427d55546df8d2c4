package dev.vshard.node.raft.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.junit.jupiter.api.Test;

class CountersOnlyRegistriesTest {
  private final MetricRegistryInfo info = new MetricRegistryInfo("n-0@group-1", "ratis", "log_worker", "test");

  @Test
  void ratisLoadsThisImplementation() {
    assertThat(MetricRegistries.global()).isInstanceOf(CountersOnlyRegistries.class);
  }

  @Test
  void countersCountAndTimersAndGaugesCostNothing() {
    RatisMetricRegistry registry = new CountersOnlyRegistries().create(info);
    LongCounter counter = registry.counter("appends");
    counter.inc();
    counter.inc(4);
    counter.dec();
    assertThat(registry.counter("appends").getCount()).isEqualTo(4);
    assertThat(registry.timer("flush").time().stop()).isZero();
    registry.gauge("matchIndex", () -> () -> {
      throw new AssertionError("a gauge is never read");
    });
    assertThat(registry.remove("appends")).isTrue();
    assertThat(registry.counter("appends").getCount()).isZero();
  }

  @Test
  void aRegistryLivesUntilEveryCreatorRemovedIt() {
    CountersOnlyRegistries registries = new CountersOnlyRegistries();
    RatisMetricRegistry first = registries.create(info);
    assertThat(registries.create(info)).isSameAs(first);
    assertThat(registries.remove(info)).isFalse();
    assertThat(registries.get(info)).containsSame(first);
    assertThat(registries.remove(info)).isTrue();
    assertThat(registries.get(info)).isEmpty();
    assertThat(registries.remove(info)).isFalse();
    assertThat(registries.getMetricRegistries()).isEmpty();
  }

  @Test
  void reportersAreRefusedSayingWhy() {
    assertThatThrownBy(() -> new CountersOnlyRegistries().enableJmxReporter())
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("only Ratis's counters");
  }
}
