package upcase.text;

/**
 * Unicode full case mapping of UTF-8 bytes, equal to {@code String.toUpperCase(Locale.ROOT)} on
 * well-formed text, whatever the default locale. Bytes that are not part of a well-formed
 * sequence (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) are copied unchanged,
 * one at a time, so nothing is replaced and nothing is dropped.
 */
final class Utf8UpperCase implements UpperCase {
    static final Utf8UpperCase INSTANCE = new Utf8UpperCase();

    /**
     * A two-byte code point can become three two-byte code points (U+0390 becomes
     * U+0399 U+0308 U+0301); no mapping grows more per byte. Checked over every code point by
     * the tests.
     */
    static final int MAX_EXPANSION = 3;
    /**
     * Bytes checked at once for the all-ASCII fast path: long enough to amortize the check,
     * short enough that one non-ASCII byte sends few ASCII bytes down the slower path. A fixed
     * length keeps both loops vectorized; measured with bench/jmh.sh, 64 KiB of ASCII: 128
     * bytes 11.5 GB/s, 64 bytes 8.2, a length fitted to the input 7.6 (8.9 without blocks).
     */
    private static final int BLOCK = 128;

    private Utf8UpperCase() {}

    @Override
    public int maxExpansion() {
        return MAX_EXPANSION;
    }

    @Override
    public int boundary(byte[] src, int from, int to) {
        // Walk back over at most three continuation bytes to the lead byte that owns them.
        for (int p = to - 1; p >= from && p >= to - 3; p--) {
            int b = src[p] & 0xFF;
            if (b < 0x80) {
                return to;
            }
            if (b >= 0xC0) {
                int need = Utf8.sequenceLength(b);
                return need > to - p && Utf8.isValidPrefix(src, p, to) ? p : to;
            }
        }
        return to;
    }

    @Override
    public int apply(byte[] src, int from, int to, byte[] dst, int dstFrom) {
        int i = from;
        int o = dstFrom;
        while (i < to) {
            // Text is mostly ASCII: an all-ASCII block goes through the vectorized loop; any
            // other goes word by word, and code point by code point where a byte is not ASCII.
            if (to - i >= BLOCK && AsciiWords.allAscii(src, i, BLOCK)) {
                AsciiWords.upperWords(src, i, dst, o, BLOCK);
                i += BLOCK;
                o += BLOCK;
                continue;
            }
            int end = Math.min(to, i + BLOCK);
            while (i < end) {
                if (i + Long.BYTES <= to) {
                    long w = (long) AsciiWords.LONGS.get(src, i);
                    if ((w & AsciiWords.HIGH_BITS) == 0) {
                        AsciiWords.LONGS.set(dst, o, AsciiWords.upper(w));
                        i += Long.BYTES;
                        o += Long.BYTES;
                        continue;
                    }
                }
                byte b = src[i];
                if (b >= 0) {
                    dst[o++] = AsciiWords.upper(b);
                    i++;
                    continue;
                }
                int len = Utf8.wellFormedLength(src, i, to);
                if (len == 0) {
                    dst[o++] = b; // ill-formed: passes unchanged
                    i++;
                    continue;
                }
                o = upperCodePoint(Utf8.decode(src, i, len), dst, o);
                i += len;
            }
        }
        return o - dstFrom;
    }

    private static int upperCodePoint(int cp, byte[] dst, int o) {
        byte[] special = SpecialCasing.upper(cp);
        if (special != null) {
            System.arraycopy(special, 0, dst, o, special.length);
            return o + special.length;
        }
        return Utf8.encode(Character.toUpperCase(cp), dst, o);
    }

    @Override
    public String toString() {
        return "unicode";
    }
}
