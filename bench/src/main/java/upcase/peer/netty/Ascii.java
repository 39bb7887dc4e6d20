package upcase.peer.netty;

import io.netty.buffer.ByteBuf;

/**
 * ASCII uppercasing in place on a {@link ByteBuf}, eight bytes at a time: only {@code a}-{@code z}
 * change, every other byte (0x00-0xFF) stays as it is, like Python's {@code bytes.upper()}.
 */
final class Ascii {
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Ascii() {
    }

    /** Uppercases the readable bytes of {@code buf} in place. */
    static void upperInPlace(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = buf.getLong(i);
            long upper = upper(word);
            if (upper != word) {
                buf.setLong(i, upper);
            }
        }
        for (; i < end; i++) {
            byte b = buf.getByte(i);
            if (b >= 'a' && b <= 'z') {
                buf.setByte(i, b - ('a' - 'A'));
            }
        }
    }

    /** True when no readable byte of {@code buf} has its high bit set. */
    static boolean isAscii(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        long any = 0;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            any |= buf.getLong(i);
        }
        for (; i < end; i++) {
            any |= buf.getByte(i);
        }
        return (any & HIGH_BITS) == 0;
    }

    /**
     * Each byte of {@code word} in {@code a}-{@code z} minus 0x20; the others unchanged. On the low
     * seven bits of each byte, adding 0x80 - 'a' sets the byte's high bit when it is at least
     * 'a', adding 0x80 - ('z' + 1) when it is above 'z'; no addition carries into the next byte.
     */
    static long upper(long word) {
        long low7 = word & ~HIGH_BITS;
        long atLeastA = low7 + (0x80 - 'a') * ONES;
        long aboveZ = low7 + (0x80 - ('z' + 1)) * ONES;
        long lower = atLeastA & ~aboveZ & ~word & HIGH_BITS;
        return word ^ (lower >>> 2);
    }
}
