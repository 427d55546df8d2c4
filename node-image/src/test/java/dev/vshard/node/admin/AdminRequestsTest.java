package dev.vshard.node.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vshard.node.http.ApiException;
import dev.vshard.node.migration.CutOverRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdminRequestsTest {

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void rejects(Runnable parse, String field, String messagePart) {
    assertThatThrownBy(parse::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("InvalidRequest");
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }

  @Test
  void parsesACompleteCutOverBody() {
    CutOverRequest r = AdminRequests.cutover(json("""
        {"migrationId":"m1","source":"n-0","target":"n-3","writePauseBudgetMicros":500000,"transferLeadership":true}"""));
    assertThat(r).isEqualTo(new CutOverRequest("m1", "n-0", "n-3", 500_000, true));
  }

  @Test
  void transferLeadershipDefaultsToFalse() {
    CutOverRequest r = AdminRequests.cutover(json("""
        {"migrationId":"m1","source":"n-0","target":"n-3","writePauseBudgetMicros":1}"""));
    assertThat(r.transferLeadership()).isFalse();
  }

  @Test
  void namesTheFieldThatIsWrong() {
    rejects(() -> AdminRequests.cutover(json("{\"migrationId\":\"m\",\"source\":\"a\",\"target\":\"b\"}")),
        "writePauseBudgetMicros", "required");
    rejects(() -> AdminRequests.cutover(json("""
        {"migrationId":"m","source":"a","target":"b","writePauseBudgetMicros":-5}""")), "writePauseBudgetMicros", "-5");
    rejects(() -> AdminRequests.cutover(json("""
        {"migrationId":"m","source":"a","target":"b","writePauseBudgetMicros":"10ms"}""")), "writePauseBudgetMicros",
        "\"10ms\"");
    rejects(() -> AdminRequests.cutover(json("""
        {"migrationId":"m","source":"a","target":"b","writePauseBudgetMicros":5,"transferLeadership":"yes"}""")),
        "transferLeadership", "true or false");
    rejects(() -> AdminRequests.learner(json("{\"source\":\"a\"}")), "migrationId", "required");
    rejects(() -> AdminRequests.learner(json("{\"migrationId\":\"  \",\"source\":\"a\"}")), "migrationId", "non-empty");
    rejects(() -> AdminRequests.learner(json("{\"migrationId\":\"m\",\"source\":7}")), "source", "7");
  }

  @Test
  void malformedJsonIsA400WithoutField() {
    rejects(() -> AdminRequests.learner(json("{\"migrationId\":")), null, "malformed JSON");
    rejects(() -> AdminRequests.learner(json("[1,2]")), null, "JSON object");
  }

  @Test
  void vshardMustBeANonNegativeInteger() {
    assertThat(AdminRequests.vshard("12")).isEqualTo(12);
    rejects(() -> AdminRequests.vshard("x"), "vshard", "'x'");
    rejects(() -> AdminRequests.vshard("-1"), "vshard", "'-1'");
  }
}
