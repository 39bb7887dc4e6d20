package upcase.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The streaming loop of the {@link UpperCase} javadoc, written once: what a server does with each
 * read. Each chunk is appended to the carry; {@code boundary()} says how much can go now; the rest
 * is carried; at end of stream the carry is applied as it is.
 *
 * <p>Every buffer sits at an offset inside a bigger array, between bytes that would change the
 * result if the transform read before {@code from} or after {@code to} (a lead byte just before,
 * continuation bytes and lowercase letters just after), and the output lands between sentinels.
 */
final class Streaming {
    private static final byte[] BEFORE = Hex.bytes("61 F0 9F E2");
    private static final byte[] AFTER = Hex.bytes("82 AC 80 80 61 62 63 64 65 66 67 68");
    private static final byte SENTINEL = 0x55;

    private Streaming() {}

    /** Transforms {@code input} cut into pieces of the given lengths (their sum must be input.length). */
    static byte[] transform(UpperCase upper, byte[] input, int[] chunkLengths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] carry = new byte[0];
        int read = 0;
        for (int len : chunkLengths) {
            byte[] chunk = Arrays.copyOfRange(input, read, read + len);
            read += len;
            byte[] buf = concat(carry, chunk);

            byte[] padded = pad(buf);
            int from = BEFORE.length;
            int to = from + buf.length;
            int end = upper.boundary(padded, from, to);
            assertThat(end).as("boundary of %s", Hex.of(buf)).isBetween(Math.max(from, to - 3), to);

            out.writeBytes(applyBetweenSentinels(upper, padded, from, end));
            carry = Arrays.copyOfRange(padded, end, to);
        }
        assertThat(read).as("chunk lengths must cover the input").isEqualTo(input.length);
        out.writeBytes(applyBetweenSentinels(upper, pad(carry), BEFORE.length, BEFORE.length + carry.length));
        return out.toByteArray();
    }

    /** One {@code apply(src, from, to, dst, dstFrom)} call, checking it writes only its own output. */
    static byte[] applyBetweenSentinels(UpperCase upper, byte[] src, int from, int to) {
        byte[] before = src.clone();
        int dstFrom = 5;
        byte[] dst = new byte[dstFrom + (to - from) * upper.maxExpansion() + 16];
        Arrays.fill(dst, SENTINEL);
        int n = upper.apply(src, from, to, dst, dstFrom);
        assertThat(n).isBetween(0, (to - from) * upper.maxExpansion());
        assertThat(src).as("apply must not modify its input").isEqualTo(before);
        int clobbered = -1;
        for (int k = 0; k < dst.length && clobbered < 0; k++) {
            if ((k < dstFrom || k >= dstFrom + n) && dst[k] != SENTINEL) {
                clobbered = k;
            }
        }
        assertThat(clobbered).as("first byte written outside the output [%d, %d)", dstFrom, dstFrom + n)
                .isEqualTo(-1);
        return Arrays.copyOfRange(dst, dstFrom, dstFrom + n);
    }

    private static byte[] pad(byte[] buf) {
        return concat(concat(BEFORE, buf), AFTER);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
