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
        int length = to - from;
        int words = length & -Long.BYTES;
        AsciiWords.upperWords(src, from, dst, dstFrom, words);
        for (int k = words; k < length; k++) {
            dst[dstFrom + k] = AsciiWords.upper(src[from + k]);
        }
        return length;
    }

    @Override
    public String toString() {
        return "ascii";
    }
}
