package upcase.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Slow, obviously-right versions of the transforms, built on the JDK's strict UTF-8 decoder and
 * {@code String.toUpperCase(Locale.ROOT)} rather than on anything in {@code upcase.text}.
 */
final class Reference {
    private Reference() {}

    /** Python's {@code bytes.upper()}: one byte at a time, only a-z change. */
    static byte asciiUpper(byte b) {
        return b >= 'a' && b <= 'z' ? (byte) (b - ('a' - 'A')) : b;
    }

    static byte[] asciiUpper(byte[] src) {
        byte[] out = src.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = asciiUpper(out[i]);
        }
        return out;
    }

    /**
     * PROTOCOL.md §Transform for arbitrary bytes: every well-formed sequence (as the JDK's decoder
     * judges it) becomes its Locale.ROOT uppercase; every other byte is copied on its own.
     */
    static byte[] unicodeUpper(byte[] src) {
        CharsetDecoder decoder = strictDecoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length * 2);
        int i = 0;
        next:
        while (i < src.length) {
            for (int n = 1; n <= 4 && i + n <= src.length; n++) {
                String one = decodeOne(decoder, src, i, n);
                if (one != null) {
                    out.writeBytes(one.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                    i += n;
                    continue next;
                }
            }
            out.write(src[i++]);
        }
        return out.toByteArray();
    }

    /**
     * Where {@link UpperCase#boundary} must cut for the Unicode transform: before the one
     * trailing run {@code src[p, to)} (p >= from, at most 3 bytes) that is not yet a code point
     * but that some continuation bytes would turn into one.
     */
    static int unicodeBoundary(byte[] src, int from, int to) {
        CharsetDecoder decoder = strictDecoder();
        for (int p = to - 1; p >= Math.max(from, to - 3); p--) {
            if (isIncompletePrefix(decoder, src, p, to)) {
                return p;
            }
        }
        return to;
    }

    /** Which single bytes some continuation bytes can complete: found by trying, once. */
    private static final boolean[] COMPLETABLE_ALONE = new boolean[256];

    static {
        CharsetDecoder decoder = strictDecoder();
        for (int b = 0; b < 256; b++) {
            COMPLETABLE_ALONE[b] = tryCompletions(decoder, new byte[] {(byte) b}, 0, 1);
        }
    }

    private static boolean isIncompletePrefix(CharsetDecoder decoder, byte[] src, int p, int to) {
        return to - p == 1 ? COMPLETABLE_ALONE[src[p] & 0xFF] : tryCompletions(decoder, src, p, to);
    }

    private static boolean tryCompletions(CharsetDecoder decoder, byte[] src, int p, int to) {
        int have = to - p;
        if (decodeOne(decoder, src, p, have) != null) {
            return false; // already complete
        }
        // Try completions: any second byte if it is missing (its range depends on the lead byte),
        // then the smallest continuation byte. The JDK decoder is the judge.
        for (int len = have + 1; len <= 4; len++) {
            byte[] trial = new byte[len];
            System.arraycopy(src, p, trial, 0, have);
            for (int k = have; k < len; k++) {
                trial[k] = (byte) 0x80;
            }
            int lowSecond = have == 1 ? 0x80 : 0;
            int highSecond = have == 1 ? 0xBF : 0;
            for (int second = lowSecond; second <= highSecond; second++) {
                if (have == 1) {
                    trial[1] = (byte) second;
                }
                if (decodeOne(decoder, trial, 0, len) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The single code point {@code src[i, i + n)} strictly decodes to, as a String, or null. */
    static String decodeOne(CharsetDecoder decoder, byte[] src, int i, int n) {
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(src, i, n);
        CharBuffer out = CharBuffer.allocate(8);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError() || in.hasRemaining() || decoder.flush(out).isError()) {
            return null;
        }
        out.flip();
        return out.codePoints().count() == 1 ? out.toString() : null;
    }

    static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
