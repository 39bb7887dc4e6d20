package upcase.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The knobs' configuration and random source (PROTOCOL.md §Faults). */
class FaultsConfigTest {
    private static Faults delay(long delayMs, long jitterMs, long seed) {
        return new Faults(Duration.ofMillis(delayMs), Duration.ofMillis(jitterMs), 0, 0, 0, OptionalLong.of(seed));
    }

    @Test
    void noneIsOffAndSaysNothing() {
        assertThat(Faults.NONE.any()).isFalse();
        assertThat(Faults.NONE.delays()).isFalse();
        assertThat(Faults.NONE.limitsLines()).isFalse();
        assertThat(Faults.NONE.describe()).isEmpty();
    }

    @Test
    void describesOnlyTheKnobsThatAreOn() {
        Faults f = new Faults(Duration.ofMillis(20), Duration.ofMillis(5), 0.1, 0, 3, OptionalLong.of(4));
        assertThat(f.describe()).isEqualTo("delay 20ms, jitter 5ms, udp-drop-rate 0.1, reset-after 3, seed 4");
        assertThat(f.forTcp().describe()).isEqualTo("delay 20ms, jitter 5ms, reset-after 3, seed 4");
        assertThat(f.forUdp().describe()).isEqualTo("delay 20ms, jitter 5ms, udp-drop-rate 0.1, seed 4");
        assertThat(f.lineLimit()).isEqualTo(3);
        assertThat(f.resets()).isTrue();
    }

    @Test
    void refusesWhatCannotBeMeant() {
        assertThatThrownBy(() -> new Faults(Duration.ofMillis(-1), Duration.ZERO, 0, 0, 0, OptionalLong.empty()))
                .hasMessageContaining("between 0 and 1h");
        assertThatThrownBy(() -> new Faults(Duration.ZERO, Duration.ofHours(2), 0, 0, 0, OptionalLong.empty()))
                .hasMessageContaining("between 0 and 1h");
        assertThatThrownBy(() -> new Faults(Duration.ZERO, Duration.ZERO, Double.NaN, 0, 0, OptionalLong.empty()))
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> new Faults(Duration.ZERO, Duration.ZERO, 1.01, 0, 0, OptionalLong.empty()))
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> new Faults(Duration.ZERO, Duration.ZERO, 0, 2, 2, OptionalLong.empty()))
                .hasMessageContaining("cannot both be given");
        assertThatThrownBy(() -> new Faults(Duration.ZERO, Duration.ZERO, 0, -1, 0, OptionalLong.empty()))
                .hasMessageContaining("negative");
    }

    @Test
    void aSeedRepeatsTheDrawsAndStreamsDiffer() {
        Faults f = new Faults(Duration.ofMillis(10), Duration.ofMillis(50), 0.5, 0, 0, OptionalLong.of(42));
        Dice a = f.dice(0);
        Dice b = f.dice(0);
        Dice other = f.dice(1);
        long[] first = LongStream.range(0, 100).map(i -> a.drops() ? -1 : a.replyDelayNanos()).toArray();
        long[] again = LongStream.range(0, 100).map(i -> b.drops() ? -1 : b.replyDelayNanos()).toArray();
        long[] third = LongStream.range(0, 100).map(i -> other.drops() ? -1 : other.replyDelayNanos()).toArray();
        assertThat(again).isEqualTo(first);
        assertThat(third).isNotEqualTo(first);
    }

    @Test
    void delaysStayWithinDelayPlusJitter() {
        Dice dice = delay(20, 5, 1).dice(0);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = dice.replyDelayNanos();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isBetween(Duration.ofMillis(20).toNanos(), Duration.ofMillis(21).toNanos());
        assertThat(max).isBetween(Duration.ofMillis(24).toNanos(), Duration.ofMillis(25).toNanos());
        assertThat(delay(20, 0, 1).dice(0).replyDelayNanos()).isEqualTo(Duration.ofMillis(20).toNanos());
    }

    @Test
    void aDropRateOfZeroNeverDropsAndOneAlwaysDoes() {
        Dice never = new Faults(Duration.ZERO, Duration.ZERO, 0, 0, 0, OptionalLong.empty()).dice(0);
        Dice always = new Faults(Duration.ZERO, Duration.ZERO, 1, 0, 0, OptionalLong.empty()).dice(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(never.drops()).isFalse();
            assertThat(always.drops()).isTrue();
        }
    }
}
