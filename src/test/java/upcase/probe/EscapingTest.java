package upcase.probe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EscapingTest {
    @Test
    void printableAsciiAsItIs() {
        assertThat(Escaping.show("Hello, World! ~".getBytes(UTF_8))).isEqualTo("\"Hello, World! ~\"");
        assertThat(Escaping.show(new byte[0])).isEqualTo("\"\"");
    }

    @Test
    void lineEndsTabsQuotesAndBackslashesEscaped() {
        assertThat(Escaping.show("a\r\n\t\"\\".getBytes(UTF_8))).isEqualTo("\"a\\r\\n\\t\\\"\\\\\"");
    }

    @Test
    void everyOtherByteInHex() {
        assertThat(Escaping.show(new byte[] {0, 0x1F, 0x7F, (byte) 0x80, (byte) 0xFF}))
                .isEqualTo("\"\\x00\\x1f\\x7f\\x80\\xff\"");
        assertThat(Escaping.show("ß".getBytes(UTF_8))).isEqualTo("\"\\xc3\\x9f\"");
    }

    @Test
    void longValuesAreCutAndTheirLengthGiven() {
        byte[] b = new byte[65_507];
        Arrays.fill(b, (byte) 'a');
        assertThat(Escaping.show(b)).isEqualTo("\"" + "a".repeat(Escaping.SHOWN) + "\"...(65507 bytes)");
        assertThat(Escaping.show(Arrays.copyOf(b, Escaping.SHOWN))).isEqualTo("\"" + "a".repeat(Escaping.SHOWN) + "\"");
    }
}
