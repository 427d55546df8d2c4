package dev.vshard.operator.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One peer of a vShard group as its leader sees it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PeerView(String node, String role, long matchIndex, long lag, Long lastContactMillis) { }
