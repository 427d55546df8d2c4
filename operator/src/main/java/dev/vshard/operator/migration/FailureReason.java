package dev.vshard.operator.migration;

/** Why a migration failed; the name is the CamelCase {@code status.reason} and the Event reason. */
public enum FailureReason {
  /** The spec breaks the CRD's rules (the message names each field). */
  InvalidSpec,
  /** No pods carry the cluster's labels in this namespace ({@code spec.cluster}). */
  UnknownCluster,
  /** The source or target is not a node of the cluster ({@code spec.sourceNode} / {@code spec.targetNode}). */
  UnknownNode,
  /** The cluster has no such vShard ({@code spec.vshard}). */
  UnknownVShard,
  /** The source does not hold a replica of the vShard ({@code spec.sourceNode}). */
  SourceNotMember,
  /** The target already holds a replica of the vShard ({@code spec.targetNode}). */
  AlreadyMember,
  /** The target pod got a new uid, restarted, or changed IP during BaseCopy or WalCatchUp. */
  TargetPodReplaced,
  /** The target pod disappeared during BaseCopy or WalCatchUp. */
  TargetPodDeleted,
  /** WalCatchUp took longer than {@code spec.catchUpTimeout}. */
  CatchUpTimeout,
  /** The node refused or aborted the cut-over for the write-pause budget too many times. */
  PauseBudgetExceeded
}
