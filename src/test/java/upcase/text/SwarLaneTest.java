package upcase.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The eight-bytes-at-a-time path of both transforms against a byte-at-a-time reference: every
 * length from 0 to 20 at every source and destination offset from 0 to 9, so that each byte is
 * seen in every lane, in whole words and in the tail, with the bytes just outside 'a'-'z'.
 */
class SwarLaneTest {
    /**
     * Just outside and at the ends of a-z and A-Z, and their high-bit twins (0xE1 is 'a' | 0x80,
     * 0xFA is 'z' | 0x80). No continuation bytes, so no multi-byte sequence can form and the
     * Unicode transform must also act byte by byte.
     */
    private static final byte[] ALPHABET = {
        'a', 'z', 'm', 'A', 'Z', '`', '{', '@', '[', 0x7F, 0x00, ' ',
        (byte) 0xE1, (byte) 0xFA, (byte) 0xE0, (byte) 0xFB, (byte) 0xC1, (byte) 0xDA, (byte) 0xFF,
    };
    private static final byte SENTINEL = 0x55;

    static Stream<UpperCase> transforms() {
        return Stream.of(UpperCase.unicode(), UpperCase.ascii());
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void everyLengthAtEveryOffset(UpperCase upper) {
        Random r = new Random(8);
        for (int length = 0; length <= 20; length++) {
            for (int from = 0; from <= 9; from++) {
                for (int dstFrom = 0; dstFrom <= 9; dstFrom++) {
                    for (int round = 0; round < 12; round++) {
                        byte[] src = new byte[from + length + 9];
                        for (int i = 0; i < src.length; i++) {
                            src[i] = round < ALPHABET.length
                                    ? ALPHABET[(round + i) % ALPHABET.length] // each byte in each lane
                                    : ALPHABET[r.nextInt(ALPHABET.length)];
                        }
                        check(upper, src, from, from + length, dstFrom, "seed 8, round " + round);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void runsOfOneByteAtEveryOffset(UpperCase upper) {
        for (byte b : ALPHABET) {
            for (int length = 0; length <= 20; length++) {
                for (int from = 0; from <= 9; from++) {
                    byte[] src = new byte[from + length + 9];
                    Arrays.fill(src, b);
                    check(upper, src, from, from + length, 9 - from, "run of " + Hex.of(new byte[] {b}));
                }
            }
        }
    }

    /** A multi-byte (or broken) sequence starting in every lane, between lowercase ASCII, for unicode(). */
    @ParameterizedTest
    @ValueSource(strings = {"C3 9F", "C3 A9", "CE 90", "C9 90", "EF AC 81", "F0 90 90 A8", "E2 82", "ED A0 80", "C3"})
    void sequenceInEveryLane(String hex) {
        UpperCase upper = UpperCase.unicode();
        byte[] seq = Hex.bytes(hex);
        for (int before = 0; before <= 17; before++) {
            for (int after = 0; after <= 9; after++) {
                for (int from = 0; from <= 9; from++) {
                    byte[] src = new byte[from + before + seq.length + after + 3];
                    Arrays.fill(src, (byte) 'q');
                    System.arraycopy(seq, 0, src, from + before, seq.length);
                    int to = from + before + seq.length + after;
                    byte[] expected = Reference.unicodeUpper(Arrays.copyOfRange(src, from, to));
                    byte[] dst = new byte[(to - from) * upper.maxExpansion()];
                    int n = upper.apply(src, from, to, dst, 0);
                    assertThat(Hex.of(dst, 0, n)).as("%s after %d bytes, from %d", hex, before, from)
                            .isEqualTo(Hex.of(expected));
                }
            }
        }
    }

    /**
     * The vectorized block path (Utf8UpperCase checks 128 bytes at a time, AsciiWords): texts of
     * up to three blocks and a half, with one sequence (or broken byte) at every position, so it
     * lands in a block, in the word-by-word path after a failed block, across the end of that
     * path, and in the tail; the ASCII around it must change exactly as in a plain loop.
     */
    @ParameterizedTest
    @ValueSource(strings = {"C3 9F", "CE 90", "EF AC 81", "F0 90 90 A8", "E2 82", "FF"})
    void sequenceAtEveryPositionOfLongText(String hex) {
        UpperCase upper = UpperCase.unicode();
        byte[] seq = Hex.bytes(hex);
        byte[] letters = "the quick brown fox jumps over the lazy dog; THE END? {}[]@`\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int length : new int[] {127, 128, 129, 255, 256, 300, 450}) {
            for (int at = 0; at + seq.length <= length; at++) {
                int from = at % 5;
                byte[] src = new byte[from + length];
                for (int i = 0; i < src.length; i++) {
                    src[i] = letters[i % letters.length];
                }
                System.arraycopy(seq, 0, src, from + at, seq.length);
                byte[] expected = Reference.unicodeUpper(Arrays.copyOfRange(src, from, src.length));
                byte[] dst = new byte[length * upper.maxExpansion()];
                int n = upper.apply(src, from, src.length, dst, 0);
                if (!Arrays.equals(dst, 0, n, expected, 0, expected.length)) {
                    assertThat(Hex.of(dst, 0, n)).as("%s at %d of %d", hex, at, length).isEqualTo(Hex.of(expected));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transforms")
    void longAsciiTextAtEveryOffset(UpperCase upper) {
        Random r = new Random(9);
        for (int length : new int[] {128, 129, 135, 256, 1000, 4096}) {
            for (int from = 0; from <= 9; from++) {
                byte[] src = new byte[from + length + 9];
                for (int i = 0; i < src.length; i++) {
                    src[i] = (byte) r.nextInt(0x80);
                }
                check(upper, src, from, from + length, 9 - from, "seed 9, " + length + " bytes");
            }
        }
    }

    private static void check(UpperCase upper, byte[] src, int from, int to, int dstFrom, String what) {
        byte[] before = src.clone();
        byte[] dst = new byte[dstFrom + (to - from) * upper.maxExpansion() + 9];
        Arrays.fill(dst, SENTINEL);
        byte[] expected = dst.clone();
        for (int i = from; i < to; i++) {
            expected[dstFrom + i - from] = Reference.asciiUpper(src[i]);
        }
        int n = upper.apply(src, from, to, dst, dstFrom);
        if (n != to - from || !Arrays.equals(dst, expected) || !Arrays.equals(src, before)) {
            assertThat(n).as("%s: bytes written", what).isEqualTo(to - from);
            assertThat(Hex.of(dst)).as("%s, %s [%d, %d) to %d", what, upper, from, to, dstFrom).isEqualTo(Hex.of(expected));
            assertThat(src).as("input untouched").isEqualTo(before);
        }
    }
}
