package dev.vshard.operator.node;

/** Body of {@code POST /admin/v1/vshards/{v}/cutover}. */
public record CutOverRequest(String migrationId, String source, String target, long writePauseBudgetMicros,
                             boolean transferLeadership) { }
