package dev.vshard.node.migration;

import java.util.OptionalLong;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.server.metrics.LogAppenderMetrics;
import org.apache.ratis.thirdparty.com.codahale.metrics.Gauge;
import org.apache.ratis.thirdparty.com.codahale.metrics.Metric;

/**
 * Reads what Ratis 3.3.0 exposes only as metrics: the leader's match index per follower (gauges
 * {@code follower_<peer>_match_index} of the {@code log_appender} registry whose prefix is the leader's
 * member id; {@code DivisionInfo.getFollowerMatchIndices()} has no peer ids).
 */
final class LeaderMetrics {
  private LeaderMetrics() {
  }

  static OptionalLong matchIndex(RaftGroupMemberId leader, String peer) {
    Metric gauge = metric(leader, LogAppenderMetrics.RATIS_LOG_APPENDER_METRICS,
        String.format(LogAppenderMetrics.FOLLOWER_MATCH_INDEX, peer));
    if (gauge instanceof Gauge<?> g && g.getValue() instanceof Number n) {
      return OptionalLong.of(n.longValue());
    }
    return OptionalLong.empty();
  }

  private static Metric metric(RaftGroupMemberId member, String component, String name) {
    String prefix = member.toString();
    for (RatisMetricRegistry registry : MetricRegistries.global().getMetricRegistries()) {
      MetricRegistryInfo info = registry.getMetricRegistryInfo();
      if (info.getMetricsComponentName().equals(component) && info.getPrefix().equals(prefix)
          && registry instanceof RatisMetricRegistryImpl impl) {
        Metric m = impl.get(name);
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }
}
