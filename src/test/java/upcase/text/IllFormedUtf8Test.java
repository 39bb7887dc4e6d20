package upcase.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PROTOCOL.md §Transform, ill-formed input: bytes that are not part of a well-formed sequence
 * (RFC 3629) come back unchanged, byte for byte: never U+FFFD, never dropped. ASCII around and
 * between them is still uppercased.
 */
class IllFormedUtf8Test {
    private final UpperCase upper = UpperCase.unicode();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // lone continuation bytes
        "80", "8F", "9F", "A0", "BF", "80 80", "BF BF BF BF",
        // C0 and C1 can only start overlongs
        "C0 80", "C0 AF", "C1 81", "C1 BF", "C0", "C1",
        // three-byte overlongs: E0 needs A0-BF next
        "E0 80 80", "E0 80 AF", "E0 9F BF",
        // four-byte overlongs: F0 needs 90-BF next
        "F0 80 80 80", "F0 80 80 AF", "F0 8F BF BF",
        // UTF-16 surrogates D800-DFFF: ED needs 80-9F next
        "ED A0 80", "ED AD BF", "ED B0 80", "ED BF BF", "ED A0 BD ED B2 A9",
        // above U+10FFFF: F4 needs 80-8F next
        "F4 90 80 80", "F4 BF BF BF",
        // F5-FF never appear in UTF-8
        "F5 80 80 80", "F7 BF BF BF", "F8 88 80 80 80", "FC 84 80 80 80 80", "FE", "FF", "FE FF", "FF FE",
        // truncated at end of input
        "C3", "E2", "E2 82", "E4 B8", "F0", "F0 9F", "F0 9F 98", "F4 8F BF", "CE", "C3 C3",
        // a lead byte followed by another lead byte
        "E2 E2 82", "F0 F0 9F 98", "DF E0",
    })
    void comesBackUnchanged(String hex) {
        byte[] in = Hex.bytes(hex);
        assertThat(Hex.of(upper.apply(in))).isEqualTo(Hex.of(in));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // truncated sequences followed by ASCII
        "E4 B8 61, E4 B8 41",
        "C3 61, C3 41",
        "E2 82 7A, E2 82 5A",
        "F0 9F 98 71 75 69 74, F0 9F 98 51 55 49 54",
        // overlong spellings of ASCII stay as they are: C1 81 is an overlong 'A', C1 A1 of 'a'
        "C1 A1 61, C1 A1 41",
        "E0 81 A1 61, E0 81 A1 41",
        // mixed valid and invalid: ß, then garbage, then é, then a truncated sequence
        "C3 9F FF C3 A9 E2 82, 53 53 FF C3 89 E2 82",
        "61 80 C3 9F 80 62, 41 80 53 53 80 42",
        "ED A0 80 C3 A0, ED A0 80 C3 80",
        "F4 90 80 80 F0 90 90 A8, F4 90 80 80 F0 90 90 80",
        // a valid sequence straight after a truncated one
        "E2 82 E2 82 AC, E2 82 E2 82 AC",
        "CE CE 90, CE CE 99 CC 88 CC 81",
        "F0 9F C3 9F, F0 9F 53 53",
    })
    void validPartsAroundInvalidBytesStillChange(String in, String expected) {
        assertThat(Hex.of(upper.apply(Hex.bytes(in)))).isEqualTo(expected);
    }

    @Test
    void lowercaseAsciiInsideInvalidRunsStillUppercases() {
        // Long enough that the ASCII sits both in the eight-byte fast path and outside it.
        byte[] in = Hex.bytes("80 71 FF 75 C0 69 ED A0 74 F5 61 62 63 64 65 66 67 68 E4 B8 7A FE");
        byte[] expected = Hex.bytes("80 51 FF 55 C0 49 ED A0 54 F5 41 42 43 44 45 46 47 48 E4 B8 5A FE");
        assertThat(Hex.of(upper.apply(in))).isEqualTo(Hex.of(expected));
    }

    @Test
    void neverWritesTheReplacementCharacter() {
        byte[] in = RandomText.noise(new Random(3), 100_000);
        byte[] out = upper.apply(in);
        int replacements = countReplacementChars(out) - countReplacementChars(in);
        assertThat(replacements).isZero();
        assertThat(out).isEqualTo(Reference.unicodeUpper(in));
    }

    /** Every one- and two-byte input, and three- and four-byte inputs around every range edge. */
    @Test
    void shortInputsMatchTheReference() {
        List<String> wrong = new ArrayList<>();
        for (int a = 0; a < 256; a++) {
            check(wrong, a);
            for (int b = 0; b < 256; b++) {
                check(wrong, a, b);
            }
        }
        int[] edges = {0x00, 0x41, 0x61, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xFF};
        for (int a = 0xC0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : edges) {
                    check(wrong, a, b, c);
                }
            }
        }
        for (int a = 0xF0; a < 256; a++) {
            for (int b : edges) {
                for (int c : edges) {
                    for (int d : edges) {
                        check(wrong, a, b, c, d);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private void check(List<String> wrong, int... bytes) {
        byte[] in = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            in[i] = (byte) bytes[i];
        }
        byte[] out = upper.apply(in);
        byte[] expected = Reference.unicodeUpper(in);
        if (!Arrays.equals(out, expected) && wrong.size() < 20) {
            wrong.add(Hex.of(in) + " -> " + Hex.of(out) + ", expected " + Hex.of(expected));
        }
    }

    private static int countReplacementChars(byte[] b) {
        int n = 0;
        for (int i = 0; i + 2 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xEF && (b[i + 1] & 0xFF) == 0xBF && (b[i + 2] & 0xFF) == 0xBD) {
                n++;
            }
        }
        return n;
    }
}
