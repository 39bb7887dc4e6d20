package upcase.text;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The code points whose full uppercase mapping is not {@link Character#toUpperCase(int)}: the
 * one-to-many mappings of Unicode's SpecialCasing.txt (ß to SS, ﬁ to FI, ΐ to three code points)
 * and any other place where {@code String.toUpperCase(Locale.ROOT)} differs.
 *
 * <p>Derived from the JDK itself rather than a hand-copied list, so it follows the JDK's Unicode
 * version. All of them are in the BMP (tests check every code point). A holder class: the
 * scan (about 65,000 one-char strings, a few milliseconds) runs only when the first non-ASCII
 * code point is transformed.
 */
final class SpecialCasing {
    private static final Map<Integer, byte[]> UPPER = new HashMap<>();
    private static final long[] IS_SPECIAL = new long[0x10000 / Long.SIZE];

    static {
        for (int c = 0x80; c < 0x10000; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            String full = String.valueOf((char) c).toUpperCase(Locale.ROOT);
            if (full.length() != 1 || full.charAt(0) != Character.toUpperCase(c)) {
                UPPER.put(c, full.getBytes(StandardCharsets.UTF_8));
                IS_SPECIAL[c >>> 6] |= 1L << c;
            }
        }
    }

    private SpecialCasing() {}

    /** The UTF-8 bytes of the full uppercase mapping of {@code cp}, or null when it is the simple one. */
    static byte[] upper(int cp) {
        if (cp >= 0x10000 || (IS_SPECIAL[cp >>> 6] & 1L << cp) == 0) {
            return null;
        }
        return UPPER.get(cp);
    }
}
