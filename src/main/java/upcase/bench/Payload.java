package upcase.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import upcase.text.UpperCase;

/**
 * The messages the bench sends, and the replies it expects, computed by position so that nothing
 * is stored per message in flight.
 *
 * <p>Message {@code seq} is {@code size} bytes: a tag, the low base-36 digits of {@code seq}
 * ({@code 0-9a-z}, at most {@value #TAG} of them, so each message of a run differs and a
 * reordered or misdelivered reply shows), then filler text starting at a place that also varies
 * with {@code seq}, then (for TCP lines) a line feed. The filler is lowercase {@code a-z0-9}, or
 * with {@code utf8} also two-byte lowercase letters ({@code é ñ ö ç ø ü}).
 *
 * <p>The expected reply is the transform's output, not a copy of its rules: the filler's reply
 * text is the transform applied once to the whole filler text, and the constructor checks, for
 * every starting place, that slicing that reply text gives exactly what the transform makes of
 * the message. (This works because the transform maps code point by code point, every starting
 * place is a character boundary, and a letter cut at a message's end keeps its first byte,
 * {@code C3}, under both transforms.)
 */
final class Payload {
    /** The most tag characters: 36^12 > 2^62, so a tag names any sequence number. */
    static final int TAG = 12;

    private static final byte[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
    private static final String ASCII_UNITS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String UTF8_UNITS = "abcdeéfghijklmnñopqrstöuvwxyzç01234ø56789ü";
    private static final byte LF = '\n';

    private final int size;
    private final int body;
    private final int tag;
    private final byte[] text;
    private final byte[] replyText;
    private final int[] starts;
    private final byte[] replyDigits = new byte[DIGITS.length];

    private Payload(int size, boolean lineFeed, boolean utf8, UpperCase transform) {
        if (size < (lineFeed ? 1 : TAG)) {
            throw new IllegalArgumentException("size must be at least " + (lineFeed ? 1 : TAG) + ", not " + size);
        }
        this.size = size;
        this.body = lineFeed ? size - 1 : size;
        this.tag = Math.min(TAG, body);
        String units = utf8 ? UTF8_UNITS : ASCII_UNITS;
        byte[] period = units.getBytes(StandardCharsets.UTF_8);
        this.starts = new int[units.length()]; // the units are all in the BMP: one char each
        for (int u = 0; u < units.length(); u++) {
            starts[u] = units.substring(0, u).getBytes(StandardCharsets.UTF_8).length;
        }
        int fill = body - tag;
        this.text = new byte[period.length + fill];
        for (int i = 0; i < text.length; i++) {
            text[i] = period[i % period.length];
        }
        this.replyText = transform.apply(text);
        for (int d = 0; d < DIGITS.length; d++) {
            byte[] upper = transform.apply(new byte[] {DIGITS[d]});
            if (upper.length != 1) {
                throw new IllegalStateException("the transform changes the length of '" + (char) DIGITS[d] + "'");
            }
            replyDigits[d] = upper[0];
        }
        checkAgainst(transform);
    }

    /** TCP: lines of {@code size} bytes, the last one a line feed ({@code size >= 1}). */
    static Payload lines(int size, boolean utf8, UpperCase transform) {
        return new Payload(size, true, utf8, transform);
    }

    /** UDP: datagrams of {@code size} bytes, no line feed ({@code size >= TAG}, so every reply names its datagram). */
    static Payload datagrams(int size, boolean utf8, UpperCase transform) {
        return new Payload(size, false, utf8, transform);
    }

    int size() {
        return size;
    }

    /** Every starting place, one message each: the expected reply is the transform of the message, byte for byte. */
    private void checkAgainst(UpperCase transform) {
        for (int s = 0; s < starts.length; s++) {
            long seq = 1_000_003L * starts.length + s;
            byte[] reply = transform.apply(message(seq));
            if (!Arrays.equals(reply, expected(seq))) {
                throw new IllegalStateException("the expected reply of a " + size + "-byte message is not the transform's");
            }
        }
    }

    /**
     * Puts bytes {@code [from, from + n)} of message {@code seq} into {@code dst}, where
     * {@code n = min(size - from, dst.remaining())}; returns {@code n}.
     */
    int fill(long seq, int from, ByteBuffer dst) {
        int n = Math.min(size - from, dst.remaining());
        int end = from + n;
        int p = dst.position();
        int j = from;
        if (j < tag) {
            // Digits from the right: the constant divisor compiles to a multiplication.
            long s = seq;
            for (int k = tag - 1; k >= 0; k--) {
                if (k >= from && k < end) {
                    dst.put(p + k - from, DIGITS[(int) (s % 36)]);
                }
                s /= 36;
            }
            j = Math.min(tag, end);
            dst.position(p + j - from);
        }
        if (j < end && j < body) {
            int k = Math.min(end, body);
            dst.put(text, start(seq) + j - tag, k - j);
            j = k;
        }
        if (j < end) {
            dst.put(LF);
        }
        return n;
    }

    private int start(long seq) {
        return starts[(int) Long.remainderUnsigned(seq, starts.length)];
    }

    /** Message {@code seq} as an array (tests, and the constructor's check). */
    byte[] message(long seq) {
        ByteBuffer b = ByteBuffer.allocate(size);
        fill(seq, 0, b);
        return b.array();
    }

    /** The expected reply to message {@code seq} as an array. */
    byte[] expected(long seq) {
        byte[] out = new byte[size];
        Checker c = checker();
        for (int j = 0; j < size; j++) {
            out[j] = c.expectedAt(seq, j);
        }
        return out;
    }

    /**
     * The sequence number a datagram reply names, from its tag in either case (so a reply that
     * was not uppercased is still matched to its datagram, and then reported as a mismatch);
     * {@code -1} if the first {@value #TAG} bytes are not base-36 digits. Datagrams only.
     */
    long seqOf(ByteBuffer reply) {
        int p = reply.position();
        if (reply.remaining() < TAG) {
            return -1;
        }
        long seq = 0;
        for (int k = 0; k < TAG; k++) {
            int c = reply.get(p + k);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'z') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'Z') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            if (seq > (Long.MAX_VALUE - d) / 36) {
                return -1;
            }
            seq = seq * 36 + d;
        }
        return seq;
    }

    /** One per thread: compares reply bytes with the expected ones through a reusable view, without copying. */
    Checker checker() {
        return new Checker();
    }

    final class Checker {
        private final ByteBuffer expected = ByteBuffer.wrap(replyText).asReadOnlyBuffer();

        /**
         * Compares {@code n} bytes of {@code src}, from its position (which does not move), with
         * bytes {@code [from, from + n)} of the reply expected to message {@code seq}. Returns
         * the index (from the position) of the first byte that differs, or {@code -1}.
         */
        int mismatch(long seq, int from, ByteBuffer src, int n) {
            int p = src.position();
            int end = from + n;
            int first = -1;
            int j = from;
            if (j < tag) {
                long s = seq;
                for (int k = tag - 1; k >= 0; k--) {
                    if (k >= from && k < end && src.get(p + k - from) != replyDigits[(int) (s % 36)]) {
                        first = k - from; // the loop runs right to left: the last one found is the first
                    }
                    s /= 36;
                }
                if (first >= 0) {
                    return first;
                }
                j = Math.min(tag, end);
            }
            if (j < end && j < body) {
                int k = Math.min(end, body);
                int off = start(seq) + j - tag;
                int limit = src.limit();
                src.limit(p + k - from).position(p + j - from);
                expected.limit(off + k - j).position(off);
                int m = src.mismatch(expected);
                src.limit(limit).position(p);
                if (m >= 0) {
                    return j - from + m;
                }
                j = k;
            }
            if (j < end && src.get(p + j - from) != LF) {
                return j - from;
            }
            return -1;
        }

        /** Byte {@code j} of the reply expected to message {@code seq}. */
        byte expectedAt(long seq, int j) {
            if (j < tag) {
                long s = seq;
                for (int k = tag - 1; k > j; k--) {
                    s /= 36;
                }
                return replyDigits[(int) (s % 36)];
            }
            return j < body ? replyText[start(seq) + j - tag] : LF;
        }
    }
}
