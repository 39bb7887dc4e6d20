package upcase.probe;

import java.nio.charset.StandardCharsets;
import java.util.List;
import upcase.text.UpperCase;

/**
 * What the checks send, and what must come back. Apart from the locale checks' text, nothing
 * here contains a lowercase 'i': a server that uppercases in a Turkish locale then fails the
 * locale checks and nothing else, which keeps the report's finger on the one fault.
 */
final class Samples {
    static final String LINE = "hello world";
    /** Capitals, digits, punctuation and spaces: all must come back as they are. */
    static final String PUNCTUATION = "Hello, World! 42 + 8 = 50; ok?";
    /** Two-byte UTF-8 letters with two-byte capitals, and ASCII letters to tell "only ASCII" apart. */
    static final String MULTIBYTE = "ğüş and ωψ, жю, éà";
    /** Letters whose uppercase is longer: ß to SS, the ligature ﬁ to FI, ŉ to ʼN; ü tells one-to-one mapping apart. */
    static final String EXPANDING = "straße für \uFB01x \u0149";
    /** Under a Turkish locale, i becomes İ (U+0130). */
    static final String LOCALE = "quit in istanbul";
    /**
     * ASCII text around bytes that are not UTF-8 (PROTOCOL.md §Transform 2): a lone FF, a
     * truncated sequence (C3 then '('), an encoded surrogate (ED A0 80), an overlong '/' (C0 AF)
     * and a lone continuation byte (80). Only ASCII letters, so that --ascii servers pass.
     */
    static final byte[] INVALID = concat(
            ascii("abc "), bytes(0xFF), ascii(" def "), bytes(0xC3), ascii("( gh "), bytes(0xED, 0xA0, 0x80),
            ascii(" jk "), bytes(0xC0, 0xAF), ascii(" "), bytes(0x80), ascii(" end"));

    private static final String FILLER = "abcdefgh jklmnopqrstuvwxyz 0123456789 ";

    private Samples() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The reply PROTOCOL.md promises. */
    static byte[] upper(byte[] request) {
        return UpperCase.unicode().apply(request);
    }

    /** {@code n} bytes of lowercase text. */
    static byte[] filler(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) FILLER.charAt(i % FILLER.length());
        }
        return b;
    }

    /** A line of {@code n} bytes, its LF included. */
    static byte[] line(int n) {
        byte[] b = filler(n);
        b[n - 1] = '\n';
        return b;
    }

    static byte[] concat(byte[]... parts) {
        return Bytes.concat(List.of(parts));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
