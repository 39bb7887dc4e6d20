package upcase.probe;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BinaryOperator;
import upcase.text.UpperCase;

/**
 * Wrong ways to uppercase that real servers are known to use (the defects table in examples/README.md), each
 * as the reply such a server would send and the fault in plain words. When a reply is exactly
 * what one of them sends, that mistake is by far the likeliest explanation.
 *
 * <p>The order matters where two mistakes make the same reply: the one that needs fewer
 * assumptions comes first. Replacement of invalid bytes comes before the Turkish locale (a text
 * without 'i' uppercases the same in both locales), and the plain low-byte loss before its
 * Turkish variant.
 */
enum Mistake {
    ECHO("the reply is the request unchanged: the server sends back what it read without uppercasing it",
            (sent, expected) -> sent),
    ASCII_ONLY("only the ASCII letters a-z were uppercased, not the other UTF-8 letters: the server changes bytes,"
            + " not characters (like Python's bytes.upper() or upcase --ascii); PROTOCOL.md asks for Unicode"
            + " uppercasing of UTF-8 text",
            (sent, expected) -> UpperCase.ascii().apply(sent)),
    INVALID_REPLACED("bytes that are not UTF-8 came back as U+FFFD (EF BF BD), the replacement character: the server"
            + " decodes the request as text, replacing what does not decode; PROTOCOL.md wants such bytes passed"
            + " unchanged",
            (sent, expected) -> Text.utf8(Text.utf8(sent).toUpperCase(Locale.ROOT))),
    INVALID_DROPPED("the bytes that are not UTF-8 were dropped: the server decodes the request as text and skips"
            + " what does not decode; PROTOCOL.md wants them passed unchanged",
            (sent, expected) -> Text.utf8(Text.utf8Ignoring(sent).toUpperCase(Locale.ROOT))),
    LOW_BYTE("each character went out as its low byte only: the server writes with DataOutputStream.writeBytes,"
            + " which drops the high byte of every char (ğüş goes out as 1E DC 5E); it must write UTF-8 bytes",
            (sent, expected) -> Text.lowBytes(Text.utf8(sent).toUpperCase(Locale.ROOT))),
    TURKISH("'i' came back as 'İ' (U+0130, capital I with a dot): the server uppercases in its default locale,"
            + " which is Turkish here (String.toUpperCase() without Locale.ROOT)",
            (sent, expected) -> Text.utf8(Text.utf8(sent).toUpperCase(Text.TURKISH))),
    TURKISH_LOW_BYTE("'i' came back as '0': toUpperCase() in a Turkish default locale makes it 'İ' (U+0130),"
            + " and DataOutputStream.writeBytes sends only its low byte, 0x30 '0'",
            (sent, expected) -> Text.lowBytes(Text.utf8(sent).toUpperCase(Text.TURKISH))),
    ONE_TO_ONE("letters were mapped one to one, so ß did not become SS (nor ﬁ FI): the server uppercases character"
            + " by character (Character.toUpperCase) instead of with the full mapping of"
            + " String.toUpperCase(Locale.ROOT)",
            (sent, expected) -> Text.utf8(Text.oneToOneUpper(Text.utf8(sent)))),
    LATIN1("the bytes were read as ISO-8859-1, not UTF-8: the server decodes and encodes with a default charset"
            + " that is not UTF-8",
            (sent, expected) -> Text.latin1(new String(sent, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT))),
    CR_DROPPED("the CR of the CRLF was dropped: the server reads lines without their terminator (readLine())"
            + " and ends every reply with LF only",
            (sent, expected) -> Text.without(expected, (byte) '\r')),
    LF_DROPPED("the line feed was dropped: the server strips the line end (readLine()) and does not write it back",
            (sent, expected) -> Text.without(expected, (byte) '\n')),
    TRIMMED("white space at the start or end was removed: the server trims the text (trim() or strip())",
            (sent, expected) -> Text.trim(expected)),
    LOWERCASED("the reply is lowercased: the server changes case the wrong way",
            (sent, expected) -> Text.utf8(Text.utf8(sent).toLowerCase(Locale.ROOT)));

    private final String explanation;
    private final BinaryOperator<byte[]> reply;

    Mistake(String explanation, BinaryOperator<byte[]> reply) {
        this.explanation = explanation;
        this.reply = reply;
    }

    String explanation() {
        return explanation;
    }

    /** What a server making this mistake sends for {@code sent}, whose right reply is {@code expected}. */
    byte[] replyTo(byte[] sent, byte[] expected) {
        return reply.apply(sent, expected);
    }

    /** The text helpers the mistakes are made of. */
    private static final class Text {
        static final Locale TURKISH = Locale.forLanguageTag("tr");

        static String utf8(byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }

        static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        static byte[] latin1(String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** What DataOutputStream.writeBytes sends: the low 8 bits of each char. */
        static byte[] lowBytes(String s) {
            byte[] b = new byte[s.length()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) s.charAt(i);
            }
            return b;
        }

        static String oneToOneUpper(String s) {
            StringBuilder upper = new StringBuilder(s.length());
            s.codePoints().map(Character::toUpperCase).forEach(upper::appendCodePoint);
            return upper.toString();
        }

        static String utf8Ignoring(byte[] b) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.IGNORE)
                        .onUnmappableCharacter(CodingErrorAction.IGNORE)
                        .decode(ByteBuffer.wrap(b))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new IllegalStateException("IGNORE never throws", e);
            }
        }

        static byte[] without(byte[] b, byte dropped) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream(b.length);
            for (byte x : b) {
                if (x != dropped) {
                    kept.write(x);
                }
            }
            return kept.toByteArray();
        }

        /** String.trim() on bytes: drops bytes up to 0x20 (space, tab, CR, LF, NUL, ...) at both ends. */
        static byte[] trim(byte[] b) {
            int from = 0;
            int to = b.length;
            while (from < to && (b[from] & 0xFF) <= ' ') {
                from++;
            }
            while (to > from && (b[to - 1] & 0xFF) <= ' ') {
                to--;
            }
            return java.util.Arrays.copyOfRange(b, from, to);
        }
    }
}
