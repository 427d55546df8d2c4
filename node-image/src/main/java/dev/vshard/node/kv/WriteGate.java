package dev.vshard.node.kv;

import java.util.concurrent.CompletableFuture;

/**
 * Consulted at a vShard's leader before each write is submitted. The cut-over holds writes by returning
 * an incomplete future and completes it on release; the write path then re-resolves the route, because
 * leadership may have moved meanwhile, and forwards when this node no longer leads.
 */
public interface WriteGate {
  WriteGate ALWAYS_OPEN = vshard -> CompletableFuture.completedFuture(null);

  CompletableFuture<Void> awaitOpen(int vshard);
}
