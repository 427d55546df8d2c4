package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.DoubleSummaryStatistics;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnapshotPolicyTest {
  private static final long MB = 1 << 20;
  private final SnapshotPolicy policy = new SnapshotPolicy(16 * MB, 0.5, 0.5);

  @Test
  void aStateUpToTheFloorIsNeverDeferred() {
    assertThat(policy.defers(0, 0, 0.5)).isFalse();
    assertThat(policy.defers(16 * MB, 0, 0.5)).isFalse();
  }

  @Test
  void aLargerStateWaitsUntilTheLogSinceTheLastSnapshotIsTheDrawnShare() {
    assertThat(policy.defers(281 * MB, 10 * MB, 0.5)).isTrue();
    assertThat(policy.defers(281 * MB, 140 * MB, 0.5)).isTrue();
    assertThat(policy.defers(281 * MB, 141 * MB, 0.5)).isFalse();
    assertThat(policy.defers(281 * MB, 141 * MB, 0.7)).isTrue();
    assertThat(policy.defers(16 * MB + 1, 8 * MB, 0.5)).isTrue();
  }

  @Test
  void drawnSharesSpreadBetweenTheShareAndItsSpread() {
    Random random = new Random(42);
    DoubleSummaryStatistics shares = IntStream.range(0, 10_000).mapToDouble(i -> policy.drawShare(random)).summaryStatistics();
    assertThat(shares.getMin()).isGreaterThanOrEqualTo(0.5).isLessThan(0.51);
    assertThat(shares.getMax()).isLessThan(0.75).isGreaterThan(0.74);
    assertThat(new SnapshotPolicy(0, 0.5, 0).drawShare(random)).isEqualTo(0.5);
  }

  @Test
  void refusesANegativeFloorOrSpreadAndAShareThatIsNotPositive() {
    assertThatThrownBy(() -> new SnapshotPolicy(-1, 0.5, 0)).hasMessage("stateFloorBytes must be >= 0, was -1");
    assertThatThrownBy(() -> new SnapshotPolicy(0, 0, 0)).hasMessage("logShare must be > 0, was 0.0");
    assertThatThrownBy(() -> new SnapshotPolicy(0, Double.NaN, 0)).hasMessage("logShare must be > 0, was NaN");
    assertThatThrownBy(() -> new SnapshotPolicy(0, 0.5, -0.1)).hasMessage("spread must be >= 0, was -0.1");
  }
}
