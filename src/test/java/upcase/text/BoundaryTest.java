package upcase.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PROTOCOL.md §Transform, streaming: {@code boundary()} holds back exactly a trailing sequence
 * that later bytes could still complete, at most 3 bytes, and never looks before {@code from}.
 */
class BoundaryTest {
    private final UpperCase unicode = UpperCase.unicode();
    private final UpperCase ascii = UpperCase.ascii();

    /** {@code held} is how many trailing bytes boundary() keeps back for the next chunk. */
    @ParameterizedTest(name = "{0} holds back {1}")
    @CsvSource({
        "'', 0",
        "61 62 63, 0",
        "61 62 63 64 65 66 67 68 69, 0",
        // valid but incomplete: held back from the lead byte
        "C3, 1",
        "61 C3, 1",
        "E2, 1",
        "E2 82, 2",
        "61 E2 82, 2",
        "F0, 1",
        "F0 9F, 2",
        "F0 9F 98, 3",
        "F4 8F BF, 3",
        "E0 A0, 2",
        "ED 9F, 2",
        "F0 90, 2",
        // complete: nothing to wait for
        "C3 A9, 0",
        "E2 82 AC, 0",
        "F0 9F 98 80, 0",
        "E2 82 AC C3, 1",
        // can never become well-formed: passes now
        "E0 80, 0",
        "E0 9F, 0",
        "ED A0, 0",
        "F0 80, 0",
        "F0 8F, 0",
        "F4 90, 0",
        "F4 90 80, 0",
        "C0, 0",
        "C1, 0",
        "F5, 0",
        "FF, 0",
        "80, 0",
        "BF BF BF, 0",
        "E2 82 41, 0",
        "E2 41 82, 0",
        // too long for one sequence: the lead is more than 3 back, or the sequence is already over
        "F0 9F 98 80 80, 0",
        "C3 A9 A9, 0",
        "E2 82 AC 82, 0",
    })
    void holdsBackOnlyACompletablePrefix(String hex, int held) {
        byte[] b = Hex.bytes(hex);
        assertThat(b.length - unicode.boundary(b, 0, b.length)).isEqualTo(held);
        assertThat(ascii.boundary(b, 0, b.length)).as("ascii never waits").isEqualTo(b.length);
    }

    @Test
    void respectsFromAndTo() {
        byte[] b = Hex.bytes("61 F0 9F 98 80 E2 82 AC 62");
        // [1, 4) is F0 9F 98: waiting for one more byte
        assertThat(unicode.boundary(b, 1, 4)).isEqualTo(1);
        // [2, 4) is 9F 98: its lead byte is before from, so nothing can be held back
        assertThat(unicode.boundary(b, 2, 4)).isEqualTo(4);
        assertThat(unicode.boundary(b, 3, 4)).isEqualTo(4);
        // [5, 7) is E2 82
        assertThat(unicode.boundary(b, 5, 7)).isEqualTo(5);
        assertThat(unicode.boundary(b, 0, 7)).isEqualTo(5);
        assertThat(unicode.boundary(b, 6, 7)).isEqualTo(7);
        // empty ranges
        assertThat(unicode.boundary(b, 4, 4)).isEqualTo(4);
        assertThat(unicode.boundary(b, 0, 0)).isZero();
        assertThat(unicode.boundary(b, 9, 9)).isEqualTo(9);
        // the byte at to (AC) must not count
        assertThat(unicode.boundary(b, 0, 7)).isEqualTo(5);
        assertThat(ascii.boundary(b, 1, 4)).isEqualTo(4);
    }

    /** Every tail of up to two bytes, and three-byte tails from every lead byte around every range edge. */
    @Test
    void matchesTheReferenceOnShortTails() {
        List<String> wrong = new ArrayList<>();
        int[] edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF,
            0xF0, 0xF4, 0xF5, 0xFF};
        for (int a = 0; a < 256; a++) {
            check(wrong, a);
            for (int b = 0; b < 256; b++) {
                check(wrong, a, b);
            }
        }
        for (int lead = 0xC0; lead < 256; lead++) {
            for (int second = 0x70; second < 0xC4; second++) {
                for (int third : edges) {
                    check(wrong, lead, second, third);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Puts {@code tail} after a prefix and checks boundary() from every start, including inside the tail. */
    private void check(List<String> wrong, int... tail) {
        byte[] b = new byte[2 + tail.length];
        b[0] = (byte) 0xF0; // a lead byte that must never be seen when from > 0
        b[1] = (byte) 0x9F;
        for (int i = 0; i < tail.length; i++) {
            b[2 + i] = (byte) tail[i];
        }
        for (int from = 0; from <= b.length; from++) {
            int got = unicode.boundary(b, from, b.length);
            int expected = Reference.unicodeBoundary(b, from, b.length);
            if (got != expected && wrong.size() < 20) {
                wrong.add("%s from %d: %d, expected %d".formatted(Hex.of(b), from, got, expected));
            }
        }
    }

    @Test
    void randomInputsMatchTheReferenceAndHoldBackAtMostThreeBytes() {
        for (long seed = 1; seed <= 2_000; seed++) {
            Random r = new Random(seed);
            byte[] b = RandomText.mixed(r, 1 + r.nextInt(8));
            int to = r.nextInt(b.length + 1);
            int from = r.nextInt(to + 1);
            int end = unicode.boundary(b, from, to);
            assertThat(end).as("seed=%d %s [%d, %d)", seed, Hex.of(b), from, to)
                    .isBetween(Math.max(from, to - 3), to)
                    .isEqualTo(Reference.unicodeBoundary(b, from, to));
        }
    }
}
