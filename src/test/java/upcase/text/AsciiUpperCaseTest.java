package upcase.text;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** PROTOCOL.md §Transform, ascii(): only a-z change, every other byte passes, like Python's bytes.upper(). */
@Isolated // sets the JVM's default locale (Turkish): no other test class runs meanwhile
class AsciiUpperCaseTest {
    private final UpperCase upper = UpperCase.ascii();

    /** {@code bytes(range(256)).upper().hex()}, computed by CPython 3. */
    private static final String PYTHON_UPPER_OF_ALL_BYTES =
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
            + "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
            + "604142434445464748494a4b4c4d4e4f505152535455565758595a7b7c7d7e7f"
            + "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
            + "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
            + "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
            + "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void matchesPythonBytesUpper() {
        assertThat(Hex.of(upper.apply(allBytes()))).isEqualTo(Hex.of(Hex.bytes(PYTHON_UPPER_OF_ALL_BYTES)));
        assertThat(Reference.asciiUpper(allBytes())).isEqualTo(Hex.bytes(PYTHON_UPPER_OF_ALL_BYTES));
    }

    /** Every byte value in every one of the eight lanes of a word, and in the byte-at-a-time tail. */
    @Test
    void everyByteValueInEveryLane() {
        for (int lane = 0; lane < 8; lane++) {
            for (int v = 0; v < 256; v++) {
                // 'a' around the byte under test: neighbours that change, so a carry or a lane mix-up shows
                byte[] src = new byte[8 + 8 + 7];
                Arrays.fill(src, (byte) 'a');
                src[lane] = (byte) v; // in the first word
                src[16 + Math.min(lane, 6)] = (byte) v; // in the tail after the last whole word
                byte[] out = upper.apply(src);
                assertThat(Hex.of(out)).as("byte %02X in lane %d", v, lane).isEqualTo(Hex.of(Reference.asciiUpper(src)));
            }
        }
    }

    @Test
    void swarWordUppercasesEachLaneOnItsOwn() {
        Random r = new Random(42);
        for (int lane = 0; lane < 8; lane++) {
            for (int v = 0; v < 256; v++) {
                for (int round = 0; round < 8; round++) {
                    long w = r.nextLong() & ~(0xFFL << (8 * lane)) | (long) v << (8 * lane);
                    long expected = 0;
                    for (int k = 0; k < 8; k++) {
                        expected |= (Reference.asciiUpper((byte) (w >>> (8 * k))) & 0xFFL) << (8 * k);
                    }
                    assertThat(AsciiWords.upper(w)).as("seed 42, word %016X", w).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void swarByteFallbackMatchesTheReference() {
        for (int v = 0; v < 256; v++) {
            assertThat(AsciiWords.upper((byte) v)).as("%02X", v).isEqualTo(Reference.asciiUpper((byte) v));
        }
    }

    @Test
    void onlyLowercaseLettersChange() {
        assertThat(new String(upper.apply("Hello, World! `{@[~ 0123 zaZA".getBytes(UTF_8)), UTF_8))
                .isEqualTo("HELLO, WORLD! `{@[~ 0123 ZAZA");
        assertThat(upper.apply("straße ﬁ ı".getBytes(UTF_8))).as("non-ASCII bytes pass unchanged")
                .isEqualTo("STRAßE ﬁ ı".getBytes(UTF_8));
        assertThat(upper.apply(Hex.bytes("C3 A9 E1 FA 61"))).isEqualTo(Hex.bytes("C3 A9 E1 FA 41"));
        assertThat(upper.maxExpansion()).isEqualTo(1);
    }

    @Test
    void ignoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertThat(upper.apply("quit i".getBytes(UTF_8))).isEqualTo("QUIT I".getBytes(UTF_8));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void inPlace() {
        for (long seed = 1; seed <= 200; seed++) {
            Random r = new Random(seed);
            byte[] buf = RandomText.noise(r, 40);
            int from = r.nextInt(20);
            int to = from + r.nextInt(21);
            byte[] expected = buf.clone();
            for (int i = from; i < to; i++) {
                expected[i] = Reference.asciiUpper(buf[i]);
            }
            int n = upper.apply(buf, from, to, buf, from);
            assertThat(n).isEqualTo(to - from);
            assertThat(Hex.of(buf)).as("seed=%d [%d, %d)", seed, from, to).isEqualTo(Hex.of(expected));
        }
    }

    @Test
    void wholeArrayApplyReturnsAnExactlySizedArray() {
        assertThat(upper.apply(new byte[0])).isEmpty();
        byte[] src = "abc\u00e9".getBytes(UTF_8);
        byte[] out = upper.apply(src);
        assertThat(out).hasSize(src.length).isEqualTo("ABC\u00e9".getBytes(UTF_8)).isNotSameAs(src);
        assertThat(src).as("input untouched").isEqualTo("abc\u00e9".getBytes(UTF_8));
    }

    @Test
    void neverWaits() {
        for (long seed = 1; seed <= 100; seed++) {
            Random r = new Random(seed);
            byte[] b = RandomText.mixed(r, 10);
            int to = r.nextInt(b.length + 1);
            int from = r.nextInt(to + 1);
            assertThat(upper.boundary(b, from, to)).as("seed=%d", seed).isEqualTo(to);
        }
    }
}
