package upcase.text;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §Transform, unicode(): full case mapping of well-formed UTF-8, whatever the default locale. */
@Isolated // sets the JVM's default locale: no other test class runs meanwhile
class UnicodeUpperCaseTest {
    private final UpperCase upper = UpperCase.unicode();

    private String upper(String s) {
        return new String(upper.apply(s.getBytes(UTF_8)), UTF_8);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "hello world, HELLO WORLD",
        "quit, QUIT",
        "straße, STRASSE",
        "ß, SS",
        "ﬁ, FI",
        "ﬃ, FFI",
        "ŉ, ʼN",
        "ǰ, J̌",
        "ﬓ, ՄՆ",
        "ſ, S",
        "ı, I",
        "İ, İ",
        "µ, Μ",
        "ÿ, Ÿ",
        "ǆ, Ǆ",
        "ǅ, Ǆ",
        "ɐ, Ɐ",
        "ᾳ, ΑΙ",
        "ὒ, Υ̓̀",
        "𐐨, 𐐀",
        "𞤢, 𞤀",
        "déjà vu, DÉJÀ VU",
        "добрый день, ДОБРЫЙ ДЕНЬ",
        "中文 abc 😀, 中文 ABC 😀",
    })
    void mapsLikeStringToUpperCaseRoot(String in, String expected) {
        assertThat(upper(in)).isEqualTo(expected).isEqualTo(in.toUpperCase(Locale.ROOT));
    }

    @Test
    void greekDialytikaTonosBecomesThreeCodePoints() {
        byte[] out = upper.apply("\u0390".getBytes(UTF_8));
        assertThat(new String(out, UTF_8).codePoints().toArray()).containsExactly(0x0399, 0x0308, 0x0301);
        assertThat(out).hasSize(6); // two bytes in, six out: why maxExpansion() is 3
        assertThat(upper.maxExpansion()).isEqualTo(3);
    }

    @ParameterizedTest(name = "default locale {0}")
    @ValueSource(strings = {"tr-TR", "az-AZ", "lt-LT", "el-GR"})
    void ignoresTheDefaultLocale(String tag) {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag(tag));
            assertThat(upper("quit")).isEqualTo("QUIT");
            assertThat(upper("i")).isEqualTo("I").isNotEqualTo("\u0130");
            assertThat(upper("istanbul ılık")).isEqualTo("ISTANBUL ILIK");
            assertThat(upper("i\u0307")).as("Lithuanian would drop the dot").isEqualTo("I\u0307");
            assertThat(upper("άδεια")).as("accents stay (ICU's Greek rules would drop them)").isEqualTo("ΆΔΕΙΑ");
            byte[] text = RandomText.wellFormed(new Random(7), 2_000);
            assertThat(upper.apply(text)).isEqualTo(new String(text, UTF_8).toUpperCase(Locale.ROOT).getBytes(UTF_8));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void randomWellFormedTextMapsLikeStringToUpperCaseRoot() {
        for (long seed = 1; seed <= 300; seed++) {
            Random r = new Random(seed);
            byte[] text = RandomText.wellFormed(r, r.nextInt(60));
            byte[] expected = new String(text, UTF_8).toUpperCase(Locale.ROOT).getBytes(UTF_8);
            assertThat(upper.apply(text)).as("seed=%d input=%s", seed, Hex.of(text)).isEqualTo(expected);
            assertThat(expected.length).as("seed=%d", seed).isLessThanOrEqualTo(text.length * upper.maxExpansion());
        }
    }

    @Test
    void randomBytesMatchTheReference() {
        for (long seed = 1; seed <= 300; seed++) {
            Random r = new Random(seed);
            byte[] text = seed % 3 == 0 ? RandomText.noise(r, r.nextInt(200)) : RandomText.mixed(r, r.nextInt(60));
            assertThat(upper.apply(text)).as("seed=%d input=%s", seed, Hex.of(text))
                    .isEqualTo(Reference.unicodeUpper(text));
        }
    }

    @Test
    void applyWithOffsetsTransformsOnlyTheRange() {
        byte[] src = "abcßdefΐghi".getBytes(UTF_8);
        int from = 3; // ß
        int to = src.length - 3; // before "ghi"
        byte[] dst = new byte[4 + (to - from) * 3];
        int n = upper.apply(src, from, to, dst, 4);
        assertThat(new String(dst, 4, n, UTF_8)).isEqualTo("SSDEF\u0399\u0308\u0301");
        assertThat(new String(src, UTF_8)).as("input untouched").isEqualTo("abcßdefΐghi");
    }

    @Test
    void wholeArrayApplyReturnsAnExactlySizedArray() {
        assertThat(upper.apply(new byte[0])).isEmpty();
        assertThat(upper.apply("abc".getBytes(UTF_8))).containsExactly('A', 'B', 'C');
        assertThat(upper.apply("ß".getBytes(UTF_8))).isEqualTo("SS".getBytes(UTF_8));
        assertThat(upper.apply("ΐΐ".getBytes(UTF_8)))
                .as("output exactly maxExpansion() times the input")
                .isEqualTo("\u0399\u0308\u0301\u0399\u0308\u0301".getBytes(UTF_8));
        assertThat(upper.apply("ɐ".getBytes(UTF_8))).isEqualTo("Ɐ".getBytes(UTF_8)).hasSize(3);
        assertThat(upper.apply(Hex.bytes("E4 B8 61"))).isEqualTo(Hex.bytes("E4 B8 41"));
    }

    @Test
    void isPureAcrossThreads() throws Exception {
        byte[] text = RandomText.mixed(new Random(11), 5_000);
        byte[] expected = Reference.unicodeUpper(text);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var results = pool.invokeAll(Collections.nCopies(16, () -> upper.apply(text)));
            for (var result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        }
    }

    @Test
    void namesItself() {
        assertThat(UpperCase.unicode()).hasToString("unicode").isSameAs(upper);
        assertThat(UpperCase.ascii()).hasToString("ascii");
    }
}
