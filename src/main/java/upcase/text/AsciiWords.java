package upcase.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time (SWAR): the ASCII fast path shared by both transforms. A branchy
 * per-byte loop runs at about a byte per cycle; this runs a word per few cycles, and the bulk
 * loops below run several words per cycle.
 *
 * <p>The bulk loops are counted loops with no exit but their bound, over one index, on purpose:
 * that is the shape C2's superword pass turns into vector instructions (measured on JDK 25: 5.6
 * GB/s for a loop with two induction variables and a {@code i + 8 <= to} bound, 35 GB/s for
 * this shape; {@code bench/jmh.sh}, docs/PERFORMANCE.md).
 */
final class AsciiWords {
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long TO_A = 0x1F1F1F1F1F1F1F1FL; // 0x80 - 'a': sets bit 7 when byte >= 'a'
    private static final long PAST_Z = 0x0505050505050505L; // 0x80 - ('z' + 1): sets bit 7 when byte > 'z'

    private AsciiWords() {}

    /**
     * Uppercases the ASCII letters of each byte of {@code w}; bytes with bit 7 set are left alone.
     * Adding to the low seven bits never carries into the next byte (0x7F + 0x1F < 0x100).
     */
    static long upper(long w) {
        long low = w & LOW_7;
        long lower = (low + TO_A) & ~(low + PAST_Z) & ~w & HIGH_BITS;
        return w ^ (lower >>> 2); // 0x80 >>> 2 == 0x20, the case bit
    }

    static byte upper(byte b) {
        return (b >= 'a' && b <= 'z') ? (byte) (b - 0x20) : b;
    }

    /** Uppercases the ASCII letters of {@code src[from, from + length)} into {@code dst} at {@code dstFrom}; {@code length} is a multiple of 8. */
    static void upperWords(byte[] src, int from, byte[] dst, int dstFrom, int length) {
        for (int k = 0; k < length; k += Long.BYTES) {
            LONGS.set(dst, dstFrom + k, upper((long) LONGS.get(src, from + k)));
        }
    }

    /** Whether no byte of {@code src[from, from + length)} has bit 7 set; {@code length} is a multiple of 8. */
    static boolean allAscii(byte[] src, int from, int length) {
        long any = 0;
        for (int k = 0; k < length; k += Long.BYTES) {
            any |= (long) LONGS.get(src, from + k);
        }
        return (any & HIGH_BITS) == 0;
    }
}
