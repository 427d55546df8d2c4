package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PauseEstimatorTest {

  @Test
  void caughtUpTargetCostsTheCommitsAndItsLeaderChange() {
    long estimate = PauseEstimator.estimateMicros(1_000, 50_000, 0, 1);
    assertThat(estimate).isEqualTo(PauseEstimator.COMMITS_IN_PAUSE * 1_000 + 50_000);
  }

  @Test
  void lagAddsOneCommitPerAppendBatchAndEachLeaderChangeItsCost() {
    long base = PauseEstimator.estimateMicros(1_000, 50_000, 0, 0);
    long lagging = PauseEstimator.estimateMicros(1_000, 50_000, PauseEstimator.ENTRIES_PER_APPEND + 1, 0);
    long bounceAndTransfer = PauseEstimator.estimateMicros(1_000, 50_000, 0, 2);
    assertThat(base).isEqualTo(PauseEstimator.COMMITS_IN_PAUSE * 1_000);
    assertThat(lagging - base).isEqualTo(2 * 1_000);
    assertThat(bounceAndTransfer - base).isEqualTo(2 * 50_000);
  }

  @Test
  void measuredCommitsAndLeaderChangesFeedTheNextEstimate() {
    PauseEstimator estimator = new PauseEstimator();
    assertThat(estimator.estimateMicros(0, 1)).as("defaults before anything was measured").isEqualTo(
        PauseEstimator.COMMITS_IN_PAUSE * PauseEstimator.DEFAULT_COMMIT_LATENCY_MICROS
            + PauseEstimator.DEFAULT_LEADER_CHANGE_MICROS);
    estimator.observedLeaderChange(7_000);
    for (int i = 0; i < 50; i++) {
      estimator.observedCommit(2_000);
    }
    // the moving average converges on the measured 2 ms (integer rounding may leave it a microsecond off)
    assertThat(estimator.estimateMicros(0, 1))
        .isCloseTo(PauseEstimator.COMMITS_IN_PAUSE * 2_000 + 7_000, org.assertj.core.data.Offset.offset(PauseEstimator.COMMITS_IN_PAUSE));
  }
}
