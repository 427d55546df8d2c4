package dev.vshard.node.http;

import io.javalin.Javalin;

/** Admin endpoints contributed by another part of the node (the migration primitives); registered before start. */
@FunctionalInterface
public interface AdminRoutes {
  void register(Javalin adminApp);
}
