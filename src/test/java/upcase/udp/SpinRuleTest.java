package upcase.udp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When the native engine spins: after batches of several, while spins pay, and never for a lone client. */
@Timeout(5)
class SpinRuleTest {
    @Test
    void aClientWaitingForEachReplyNeverMakesTheThreadSpin() {
        SpinRule rule = new SpinRule();
        for (int i = 0; i < 1_000; i++) {
            assertThat(rule.spinAfter(1 + i % (SpinRule.SPIN_AFTER - 1))).isFalse();
        }
    }

    @Test
    void spinsGoOnWhileEachBringsEnough() {
        SpinRule rule = new SpinRule();
        assertThat(rule.spinAfter(SpinRule.SPIN_AFTER)).isTrue();
        for (int i = 0; i < 1_000; i++) {
            assertThat(rule.spinAfter(SpinRule.SPIN_PAID)).isTrue();
        }
    }

    /** A spin that brings fewer than SPIN_PAID pauses spinning for SPIN_RETRY batches of several, then it tries again. */
    @Test
    void aSpinThatBringsTooFewPausesSpinningThenTriesAgain() {
        SpinRule rule = new SpinRule();
        assertThat(rule.spinAfter(SpinRule.SPIN_AFTER)).isTrue();
        assertThat(rule.spinAfter(SpinRule.SPIN_PAID - 1)).isFalse(); // that spin did not pay
        for (int i = 1; i < SpinRule.SPIN_RETRY; i++) {
            assertThat(rule.spinAfter(1)).isFalse(); // small batches do not count down
            assertThat(rule.spinAfter(SpinRule.SPIN_PAID)).as("batch %d of the pause", i).isFalse();
        }
        assertThat(rule.spinAfter(SpinRule.SPIN_AFTER)).isTrue();
        assertThat(rule.spinAfter(SpinRule.SPIN_PAID)).isTrue(); // this one paid: go on
    }
}
