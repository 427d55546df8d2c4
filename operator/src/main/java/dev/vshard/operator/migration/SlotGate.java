package dev.vshard.operator.migration;

/** Decides whether a Pending migration may take a slot of its cluster and hold its vShard. */
public interface SlotGate {

  /** Claims a slot when one is free for this migration (in creation order). */
  Admission tryAdmit();

  /** Gives back a slot claimed by {@link #tryAdmit()} when the migration did not start after all. */
  void release();
}
