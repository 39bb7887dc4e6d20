package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void linesAreDueInTurnAcrossUnitsAndThreads() {
        // 1,000 lines/s over 2 threads: each thread 500/s, one line every 2 ms, thread 1 starting 1 ms later.
        Schedule first = new Schedule(0, 1000, 0, 2, 4);
        Schedule second = new Schedule(0, 1000, 1, 2, 4);
        assertThat(first.timeOf(0)).isZero();
        assertThat(first.timeOf(1)).isEqualTo(2_000_000);
        assertThat(second.timeOf(0)).isEqualTo(1_000_000);
        assertThat(first.dueTotal(-1)).isZero();
        assertThat(first.dueTotal(0)).isEqualTo(1);
        assertThat(first.dueTotal(7_999_999)).isEqualTo(4);
        // Unit 1 gets the thread's lines 1, 5, 9, ...
        assertThat(first.intended(1, 0)).isEqualTo(2_000_000);
        assertThat(first.intended(1, 2)).isEqualTo(18_000_000);
        assertThat(first.due(1, 1_999_999)).isZero();
        assertThat(first.due(1, 2_000_000)).isEqualTo(1);
        assertThat(first.due(1, 18_000_000)).isEqualTo(3);
    }

    @Test
    void everyLineCountedDueIsDueByThen() {
        Schedule s = new Schedule(1_000, 33_333, 0, 1, 7);
        for (long now = 0; now < 3_000_000; now += 9_973) {
            long total = 0;
            for (int unit = 0; unit < 7; unit++) {
                long due = s.due(unit, now);
                total += due;
                if (due > 0) {
                    assertThat(s.intended(unit, due - 1)).isLessThanOrEqualTo(now);
                }
                assertThat(s.intended(unit, due)).isGreaterThan(now);
            }
            assertThat(total).isEqualTo(s.dueTotal(now));
        }
    }
}
