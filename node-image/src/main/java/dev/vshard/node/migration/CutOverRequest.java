package dev.vshard.node.migration;

/** A parsed, validated {@code POST /admin/v1/vshards/{v}/cutover} body. */
public record CutOverRequest(String migrationId, String source, String target, long writePauseBudgetMicros,
                             boolean transferLeadership) {
}
