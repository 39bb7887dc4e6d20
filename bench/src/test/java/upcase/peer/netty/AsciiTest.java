package upcase.peer.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AsciiTest {
    private static byte[] reference(byte[] in) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'a' && out[i] <= 'z') {
                out[i] -= 32;
            }
        }
        return out;
    }

    private static boolean referenceIsAscii(byte[] in) {
        for (byte b : in) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyByteValueAtEveryPositionOfEveryShortLength() {
        Random random = new Random(42);
        for (int length = 1; length <= 20; length++) {
            for (int position = 0; position < length; position++) {
                for (int value = 0; value < 256; value++) {
                    byte[] in = new byte[length];
                    for (int i = 0; i < length; i++) {
                        in[i] = (byte) (' ' + random.nextInt(95));
                    }
                    in[position] = (byte) value;
                    check(in, Unpooled.wrappedBuffer(in.clone()));
                    ByteBuf direct = Unpooled.directBuffer(length + 3);
                    direct.writeBytes(new byte[3]).readerIndex(3);   // an unaligned start
                    direct.writeBytes(in);
                    check(in, direct);
                }
            }
        }
    }

    private static void check(byte[] in, ByteBuf buf) {
        try {
            assertEquals(referenceIsAscii(in), Ascii.isAscii(buf));
            Ascii.upperInPlace(buf);
            assertArrayEquals(reference(in), ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void everyByteInEveryLaneOfAWord() {
        for (int lane = 0; lane < 8; lane++) {
            for (int value = 0; value < 256; value++) {
                long word = 0x4142434445464748L ^ ((long) value << (8 * lane)) ^ (0x41L << (8 * lane));
                long expected = 0;
                for (int i = 0; i < 8; i++) {
                    int b = (int) (word >>> (8 * i)) & 0xFF;
                    if (b >= 'a' && b <= 'z') {
                        b -= 32;
                    }
                    expected |= (long) b << (8 * i);
                }
                assertEquals(expected, Ascii.upper(word), "lane " + lane + " value " + value);
            }
        }
    }
}
