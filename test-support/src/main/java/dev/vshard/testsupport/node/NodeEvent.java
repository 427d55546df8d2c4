package dev.vshard.testsupport.node;

/** What happened to a node process; a {@link NodeListener} mirrors it (e.g. into a Pod). */
public enum NodeEvent {
  /** A new incarnation was launched with fresh data (first start). */
  STARTED,
  /** {@code /readyz} answered 200. */
  READY,
  /** Killed with SIGKILL; the node is down until started again. */
  KILLED,
  /** Stopped with SIGTERM; down until started again. */
  STOPPED,
  /** Launched again on the same data (a container restart). */
  RESTARTED,
  /** Launched again after its data was wiped (a new pod replacing the old one). */
  REPLACED,
  /** Gone for good (scaled in, or the cluster closed). */
  REMOVED
}
