package upcase.text;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The UTF-8 helpers on their own (RFC 3629, Unicode Table 3-7), against the JDK's encoder. */
class Utf8Test {

    @Test
    void sequenceLengthOfEveryLeadByte() {
        for (int b = 0; b < 256; b++) {
            int expected = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            assertThat(Utf8.sequenceLength(b)).as("%02X", b).isEqualTo(expected);
        }
    }

    @Test
    void encodeAndDecodeEveryMultiByteScalarValue() {
        byte[] buf = new byte[4 + 3];
        List<String> wrong = new ArrayList<>();
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            byte[] jdk = Character.toString(cp).getBytes(UTF_8);
            Arrays.fill(buf, (byte) 0x80); // continuation bytes after it: must not extend the sequence
            int end = Utf8.encode(cp, buf, 1);
            boolean ok = end == 1 + jdk.length
                    && Arrays.equals(buf, 1, end, jdk, 0, jdk.length)
                    && Utf8.wellFormedLength(buf, 1, end) == jdk.length
                    && Utf8.wellFormedLength(buf, 1, buf.length) == jdk.length
                    && Utf8.wellFormedLength(buf, 1, end - 1) == 0
                    && Utf8.decode(buf, 1, jdk.length) == cp;
            if (!ok && wrong.size() < 20) {
                wrong.add("U+%04X encoded as %s".formatted(cp, Hex.of(buf, 1, end)));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void encodesAscii() {
        byte[] buf = new byte[1];
        assertThat(Utf8.encode('A', buf, 0)).isEqualTo(1);
        assertThat(buf).containsExactly('A');
    }

    @Test
    void secondByteRangeDependsOnTheLeadByte() {
        // Table 3-7: the only lead bytes whose second byte is not simply 80-BF
        assertThat(Utf8.isValidPrefix(Hex.bytes("E0 9F"), 0, 2)).isFalse();
        assertThat(Utf8.isValidPrefix(Hex.bytes("E0 A0"), 0, 2)).isTrue();
        assertThat(Utf8.isValidPrefix(Hex.bytes("ED 9F"), 0, 2)).isTrue();
        assertThat(Utf8.isValidPrefix(Hex.bytes("ED A0"), 0, 2)).isFalse();
        assertThat(Utf8.isValidPrefix(Hex.bytes("F0 8F"), 0, 2)).isFalse();
        assertThat(Utf8.isValidPrefix(Hex.bytes("F0 90"), 0, 2)).isTrue();
        assertThat(Utf8.isValidPrefix(Hex.bytes("F4 8F"), 0, 2)).isTrue();
        assertThat(Utf8.isValidPrefix(Hex.bytes("F4 90"), 0, 2)).isFalse();
        assertThat(Utf8.isValidPrefix(Hex.bytes("E1 80 C0"), 0, 3)).isFalse();
        assertThat(Utf8.isValidPrefix(Hex.bytes("C0"), 0, 1)).isFalse();
        assertThat(Utf8.isValidPrefix(Hex.bytes("C2"), 0, 1)).isTrue();
    }
}
