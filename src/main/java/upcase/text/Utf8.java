package upcase.text;

/** UTF-8 as RFC 3629 defines it (Unicode Table 3-7, well-formed byte sequences). */
final class Utf8 {
    private Utf8() {}

    /** The length a lead byte announces: 2, 3 or 4; 0 for bytes that cannot start a sequence. */
    static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** The length of the well-formed multi-byte sequence at {@code i}, or 0 if there is none before {@code to}. */
    static int wellFormedLength(byte[] src, int i, int to) {
        int need = sequenceLength(src[i] & 0xFF);
        if (need == 0 || need > to - i) {
            return 0;
        }
        return isValidPrefix(src, i, i + need) ? need : 0;
    }

    /**
     * Whether {@code src[i, to)} (at most one sequence long) can begin a well-formed sequence:
     * the second byte's range depends on the lead byte (this is what excludes overlongs,
     * surrogates and code points above U+10FFFF), the others are plain continuation bytes.
     */
    static boolean isValidPrefix(byte[] src, int i, int to) {
        int lead = src[i] & 0xFF;
        if (sequenceLength(lead) == 0) {
            return false;
        }
        if (i + 1 < to) {
            int second = src[i + 1] & 0xFF;
            int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
            int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
            if (second < low || second > high) {
                return false;
            }
        }
        for (int k = i + 2; k < to; k++) {
            if ((src[k] & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Decodes a sequence already checked by {@link #wellFormedLength}. */
    static int decode(byte[] src, int i, int len) {
        return switch (len) {
            case 2 -> (src[i] & 0x1F) << 6 | (src[i + 1] & 0x3F);
            case 3 -> (src[i] & 0x0F) << 12 | (src[i + 1] & 0x3F) << 6 | (src[i + 2] & 0x3F);
            default -> (src[i] & 0x07) << 18 | (src[i + 1] & 0x3F) << 12 | (src[i + 2] & 0x3F) << 6 | (src[i + 3] & 0x3F);
        };
    }

    /** Encodes a Unicode scalar value at {@code o}; returns the index after it. */
    static int encode(int cp, byte[] dst, int o) {
        if (cp < 0x80) {
            dst[o++] = (byte) cp;
        } else if (cp < 0x800) {
            dst[o++] = (byte) (0xC0 | cp >>> 6);
            dst[o++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            dst[o++] = (byte) (0xE0 | cp >>> 12);
            dst[o++] = (byte) (0x80 | cp >>> 6 & 0x3F);
            dst[o++] = (byte) (0x80 | cp & 0x3F);
        } else {
            dst[o++] = (byte) (0xF0 | cp >>> 18);
            dst[o++] = (byte) (0x80 | cp >>> 12 & 0x3F);
            dst[o++] = (byte) (0x80 | cp >>> 6 & 0x3F);
            dst[o++] = (byte) (0x80 | cp & 0x3F);
        }
        return o;
    }
}
