package dev.vshard.node.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardRouteTest {
  private static final ShardRoute ROUTE = ShardRoute.initial(0, List.of("n1", "n2", "n3"), 4);

  @Test
  void aHintNamingAVoterIsWhereACallForTheLeaderGoes() {
    assertThat(ROUTE.withLeader("n2").leaderOrAVoter()).isEqualTo("n2");
  }

  @Test
  void withoutAHintOrWithOneNamingANonVoterACallGoesToAVoter() {
    assertThat(ROUTE.leaderOrAVoter()).isEqualTo("n1");
    assertThat(ROUTE.withLeader("n0").leaderOrAVoter()).as("n0 left the group after it led").isEqualTo("n1");
  }

  @Test
  void aRouteWithoutVotersHasNowhereToSendIt() {
    assertThat(ShardRoute.initial(0, List.of(), 4).withLeader("n0").leaderOrAVoter()).isNull();
  }
}
