package upcase.text;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * PROTOCOL.md §Transform, exhaustively: every Unicode scalar value, encoded alone, maps to its
 * {@code String.toUpperCase(Locale.ROOT)}, and no mapping grows by more than maxExpansion().
 * One big array holds them all; each is transformed by its own {@code apply(src, from, to, ...)}.
 */
@Isolated // sets the JVM's default locale (Turkish): no other test class runs meanwhile
class EveryCodePointTest {
    private static final UpperCase UPPER = UpperCase.unicode();
    private static final int SCALAR_VALUES = 0x110000 - 0x800; // minus the surrogates

    private static byte[] all; // every scalar value's UTF-8, in order
    private static int[] starts; // starts[k] .. starts[k + 1]: the k-th scalar value

    @BeforeAll
    static void encodeEveryScalarValue() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 * SCALAR_VALUES);
        starts = new int[SCALAR_VALUES + 1];
        int k = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            starts[k++] = out.size();
            out.writeBytes(Character.toString(cp).getBytes(UTF_8));
        }
        starts[k] = out.size();
        all = out.toByteArray();
        assertThat(k).isEqualTo(SCALAR_VALUES);
    }

    private static int codePoint(int k) {
        return k < Character.MIN_SURROGATE ? k : k + 0x800;
    }

    @Test
    void everyScalarValueMapsLikeStringToUpperCaseRoot() {
        byte[] dst = new byte[4 * UPPER.maxExpansion()];
        List<String> wrong = new ArrayList<>();
        for (int k = 0; k < SCALAR_VALUES; k++) {
            int cp = codePoint(k);
            byte[] expected = Character.toString(cp).toUpperCase(Locale.ROOT).getBytes(UTF_8);
            int n = UPPER.apply(all, starts[k], starts[k + 1], dst, 0);
            if (!Arrays.equals(dst, 0, n, expected, 0, expected.length) && wrong.size() < 20) {
                wrong.add("U+%04X -> %s, expected %s".formatted(cp, Hex.of(dst, 0, n), Hex.of(expected)));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void noScalarValueGrowsMoreThanMaxExpansion() {
        int worstCp = -1;
        double worst = 0;
        for (int k = 0; k < SCALAR_VALUES; k++) {
            int cp = codePoint(k);
            int in = starts[k + 1] - starts[k];
            int out = Character.toString(cp).toUpperCase(Locale.ROOT).getBytes(UTF_8).length;
            if (out > UPPER.maxExpansion() * in) {
                assertThat(out).as("U+%04X", cp).isLessThanOrEqualTo(UPPER.maxExpansion() * in);
            }
            if ((double) out / in > worst) {
                worst = (double) out / in;
                worstCp = cp;
            }
        }
        assertThat(worst).as("the bound is tight (U+%04X)", worstCp).isEqualTo(UPPER.maxExpansion());
        assertThat(worstCp).isEqualTo(0x0390);
    }

    @Test
    void allScalarValuesInOneCallMatchStringToUpperCaseRoot() {
        byte[] expected = new String(all, UTF_8).toUpperCase(Locale.ROOT).getBytes(UTF_8);
        assertThat(Arrays.equals(UPPER.apply(all), expected)).isTrue();
    }

    @Test
    void allScalarValuesUnderTurkishDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            byte[] expected = new String(all, UTF_8).toUpperCase(Locale.ROOT).getBytes(UTF_8);
            assertThat(Arrays.equals(UPPER.apply(all), expected)).isTrue();
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void specialCasingHoldsEveryCodePointWhereFullAndSimpleMappingsDiffer() {
        List<String> wrong = new ArrayList<>();
        for (int k = 0; k < SCALAR_VALUES; k++) {
            int cp = codePoint(k);
            byte[] full = Character.toString(cp).toUpperCase(Locale.ROOT).getBytes(UTF_8);
            byte[] simple = Character.toString(Character.toUpperCase(cp)).getBytes(UTF_8);
            byte[] special = SpecialCasing.upper(cp);
            boolean ok = special == null ? Arrays.equals(full, simple) || cp < 0x80 : Arrays.equals(special, full);
            if (!ok && wrong.size() < 20) {
                wrong.add("U+%04X: table %s, full %s".formatted(cp, special == null ? "none" : Hex.of(special), Hex.of(full)));
            }
        }
        assertThat(wrong).isEmpty();
    }
}
