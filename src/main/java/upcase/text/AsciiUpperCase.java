package upcase.text;

/** Only {@code a}-{@code z} change: the server's {@code --ascii} mode, and Python's {@code bytes.upper()}. */
final class AsciiUpperCase implements UpperCase {
    static final AsciiUpperCase INSTANCE = new AsciiUpperCase();

    private AsciiUpperCase() {}

    @Override
    public int maxExpansion() {
        return 1;
    }

    @Override
    public int boundary(byte[] src, int from, int to) {
        return to; // every byte stands alone
    }

    @Override
    public int apply(byte[] src, int from, int to, byte[] dst, int dstFrom) {
        int i = from;
        int o = dstFrom;
        for (; i + Long.BYTES <= to; i += Long.BYTES, o += Long.BYTES) {
            AsciiWords.LONGS.set(dst, o, AsciiWords.upper((long) AsciiWords.LONGS.get(src, i)));
        }
        for (; i < to; i++, o++) {
            dst[o] = AsciiWords.upper(src[i]);
        }
        return o - dstFrom;
    }

    @Override
    public String toString() {
        return "ascii";
    }
}
