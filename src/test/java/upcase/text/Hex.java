package upcase.text;

import java.util.HexFormat;

/** Byte fixtures written as hex ("E4 B8 61") and printed the same way in assertion messages. */
final class Hex {
    private static final HexFormat SPACED = HexFormat.ofDelimiter(" ").withUpperCase();

    private Hex() {}

    static byte[] bytes(String hex) {
        String compact = hex.replace(" ", "");
        return HexFormat.of().parseHex(compact);
    }

    static String of(byte[] b) {
        return SPACED.formatHex(b);
    }

    static String of(byte[] b, int from, int to) {
        return SPACED.formatHex(b, from, to);
    }
}
