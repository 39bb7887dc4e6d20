package upcase.json;

import java.nio.charset.StandardCharsets;

/**
 * JSON string literals (RFC 8259 §7): the one encoder that the bench's figures, the probe's
 * report and the servers' JSON log share. Whatever it is given, it writes a string that every
 * JSON parser reads back, and that a terminal shows without acting on it:
 * <ul>
 *   <li>quote and backslash escaped; the control characters U+0000-U+001F as {@code \n}, {@code \r},
 *       {@code \t}, {@code \b}, {@code \f} or <code>&#92;u00XX</code>, as the RFC requires;
 *   <li>DEL and the C1 controls (U+007F-U+009F) as <code>&#92;u00XX</code> too: JSON allows them raw, but
 *       a terminal reading a log may take U+009B for the start of an escape sequence;
 *   <li>U+2028 and U+2029 escaped: JavaScript before ES2019 ends a line at them;
 *   <li>a lone surrogate (invalid UTF-16; it can come from a decoded peer's bytes or a careless
 *       exception message) becomes U+FFFD: escaped as <code>&#92;ud800</code> it is valid JSON syntax, but
 *       RFC 8259 §8.2 leaves what a parser makes of it unpredictable, and raw it is not UTF-8.
 * </ul>
 * Text that came in as bytes goes through {@link #appendUtf8}: invalid UTF-8 becomes U+FFFD.
 * Everything else passes unchanged (the output is UTF-8 text, RFC 8259 §8.1).
 */
public final class JsonString {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonString() {}

    /** {@code s} as a quoted JSON string. */
    public static String quote(CharSequence s) {
        return append(s, new StringBuilder(s.length() + 2)).toString();
    }

    /** Appends {@code s} as a quoted JSON string to {@code out}; returns {@code out}. */
    public static StringBuilder append(CharSequence s, StringBuilder out) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else if (!Character.isSurrogate(c)) {
                        out.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else {
                        out.append('\uFFFD');
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * Appends the UTF-8 text in {@code bytes[from, to)} as a quoted JSON string; what is not
     * UTF-8 (a stray byte, a cut sequence, an encoded surrogate) becomes U+FFFD, the JDK
     * decoder's replacement, so a peer's bytes cannot break the JSON around them.
     */
    public static StringBuilder appendUtf8(byte[] bytes, int from, int to, StringBuilder out) {
        return append(new String(bytes, from, to - from, StandardCharsets.UTF_8), out);
    }
}
