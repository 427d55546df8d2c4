package dev.vshard.operator.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Answer of {@code PUT /admin/v1/vshards/{v}/learners/{node}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LearnerAdded(String migrationId, int vshard, String target, String source, String state,
                           Long logStartIndexAtJoin, Long commitIndexAtJoin) { }
