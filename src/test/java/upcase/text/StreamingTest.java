package upcase.text;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PROTOCOL.md §Transform, streaming: transforming a stream chunk by chunk (carrying what
 * boundary() holds back) gives exactly the bytes of transforming it whole, however it is cut.
 */
class StreamingTest {

    static Stream<UpperCase> transforms() {
        return Stream.of(UpperCase.unicode(), UpperCase.ascii());
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void randomCutsOfRandomTextGiveTheWholeResult(UpperCase upper) {
        for (long seed = 1; seed <= 500; seed++) {
            Random r = new Random(seed);
            byte[] input = switch ((int) (seed % 4)) {
                case 0 -> RandomText.noise(r, r.nextInt(300));
                case 1 -> RandomText.wellFormed(r, r.nextInt(80));
                default -> RandomText.mixed(r, r.nextInt(80));
            };
            int[] chunks = RandomText.chunks(r, input.length);
            byte[] whole = upper.apply(input);
            assertThat(Streaming.transform(upper, input, chunks))
                    .as("seed=%d input=%s chunks=%s", seed, Hex.of(input), Arrays.toString(chunks))
                    .isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void oneByteAtATimeGivesTheWholeResult(UpperCase upper) {
        for (long seed = 1; seed <= 100; seed++) {
            Random r = new Random(seed);
            byte[] input = RandomText.mixed(r, r.nextInt(80));
            int[] ones = new int[input.length];
            Arrays.fill(ones, 1);
            assertThat(Streaming.transform(upper, input, ones)).as("seed=%d input=%s", seed, Hex.of(input))
                    .isEqualTo(upper.apply(input));
        }
    }

    /** Every place to cut a text full of multi-byte and truncated sequences into two and three pieces. */
    @ParameterizedTest
    @MethodSource("transforms")
    void everyCutGivesTheWholeResult(UpperCase upper) {
        byte[] input = Hex.bytes("61 C3 9F E2 82 AC F0 9F 98 80 CE 90 E4 B8 61 F0 9F 98 7A ED A0 80 C3 F4 90 80 80 E2 82");
        byte[] whole = upper.apply(input);
        for (int a = 0; a <= input.length; a++) {
            for (int b = a; b <= input.length; b++) {
                int[] chunks = {a, b - a, input.length - b};
                assertThat(Streaming.transform(upper, input, chunks)).as("cut at %d and %d", a, b).isEqualTo(whole);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void aSequenceSplitAcrossReadsIsTransformedAsOne(UpperCase upper) {
        byte[] input = "straße ΐ".getBytes(UTF_8); // C3|9F and CE|90 split
        int[] chunks = {5, 3, 1, 1};
        byte[] expected = upper == UpperCase.unicode()
                ? "STRASSE \u0399\u0308\u0301".getBytes(UTF_8)
                : Reference.asciiUpper(input);
        assertThat(Streaming.transform(upper, input, chunks)).isEqualTo(expected);
    }
}
