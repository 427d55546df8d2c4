package dev.vshard.operator.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Answer of {@code PUT /admin/v1/vshards/{v}/learners/{node}}: {@code Added} (200), or {@code Joining} (202)
 * while the leader still stages the listener; repeating the call reports the outcome.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LearnerAdded(String migrationId, int vshard, String target, String source, String state,
                           Long logStartIndexAtJoin, Long commitIndexAtJoin) {
  public static final String ADDED = "Added";
  public static final String JOINING = "Joining";
}
