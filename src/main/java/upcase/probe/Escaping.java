package upcase.probe;

/**
 * Bytes as a person can read them in a report: printable ASCII as it is, {@code \n} {@code \r}
 * {@code \t}, every other byte as {@code \xNN}, in double quotes; a long value is cut after its
 * first bytes and its length given: {@code "abcabc"...(65507 bytes)}. Bytes, not characters:
 * the report is about what went over the wire, and an invalid byte or a NUL must stay visible.
 */
public final class Escaping {
    /** Bytes shown before a value is cut: enough for a line of text and the start of any padding. */
    static final int SHOWN = 48;

    private Escaping() {}

    public static String show(byte[] b) {
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(b.length, SHOWN);
        for (int i = 0; i < shown; i++) {
            escape(b[i] & 0xFF, out);
        }
        out.append('"');
        if (shown < b.length) {
            out.append("...(").append(b.length).append(" bytes)");
        }
        return out.toString();
    }

    private static void escape(int c, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '"', '\\' -> out.append('\\').append((char) c);
            default -> {
                if (c >= 0x20 && c < 0x7F) {
                    out.append((char) c);
                } else {
                    out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                }
            }
        }
    }
}
