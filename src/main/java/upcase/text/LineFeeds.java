package upcase.text;

/**
 * Counts line feeds, eight bytes at a time: the TCP server counts the lines it receives on every
 * read, and a per-byte loop there costs as much as the transform itself.
 */
public final class LineFeeds {
    private static final long LF = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_7 = 0x7F7F7F7F7F7F7F7FL;

    private LineFeeds() {}

    /** The number of {@code '\n'} bytes in {@code buf[from, to)}. */
    public static int count(byte[] buf, int from, int to) {
        int n = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) AsciiWords.LONGS.get(buf, i) ^ LF; // a zero byte where there was a line feed
            // Bit 7 of each byte set exactly when that byte is zero; no carry crosses bytes.
            long zero = ~(((x & LOW_7) + LOW_7) | x | LOW_7);
            n += Long.bitCount(zero);
        }
        for (; i < to; i++) {
            if (buf[i] == '\n') {
                n++;
            }
        }
        return n;
    }
}
