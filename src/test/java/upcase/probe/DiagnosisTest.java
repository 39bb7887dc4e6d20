package upcase.probe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import upcase.text.UpperCase;

/** The diagnosis of each kind of wrong reply, from byte fixtures: no sockets. */
@Isolated // sets the JVM's default locale (Turkish): no other test class runs meanwhile
class DiagnosisTest {
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static Observation udp(byte[] sent, byte[] got) {
        return Observation.of(Transport.UDP, List.of(sent), UpperCase.unicode().apply(sent),
                new Reply(got, Ending.REPLIED, Duration.ofMillis(1), null));
    }

    private static Observation tcp(List<byte[]> writes, byte[] got, Ending ending) {
        byte[] sent = Bytes.concat(writes);
        return Observation.of(Transport.TCP, writes, UpperCase.unicode().apply(sent),
                new Reply(got, ending, ending == Ending.SILENT ? TWO_SECONDS : Duration.ofMillis(1), null));
    }

    private static Observation tcp(String sent, String got, Ending ending) {
        return tcp(List.of(utf8(sent)), utf8(got), ending);
    }

    private static String explain(Observation o) {
        assertThat(o.right()).as("a wrong reply").isFalse();
        return Diagnosis.explain(o);
    }

    @Test
    void silence() {
        assertThat(explain(tcp("hello\n", "", Ending.SILENT))).isEqualTo("no reply within 2s");
        assertThat(explain(tcp("hello", "", Ending.SILENT).ifSilent("the server waits for a line end (LF)")))
                .isEqualTo("no reply within 2s: the server waits for a line end (LF)");
        assertThat(explain(tcp("hello\n", "", Ending.CLOSED))).isEqualTo("the server closed the connection without"
                + " replying (if the checks after this one find nothing listening, this request crashed it)");
        assertThat(explain(tcp("hello\n", "", Ending.RESET))).startsWith("the connection was reset without a reply (if");
        Observation noDatagram = Observation.of(Transport.UDP, List.of(new byte[0]), new byte[0],
                new Reply(new byte[0], Ending.SILENT, Duration.ofMillis(500), null));
        assertThat(explain(noDatagram)).isEqualTo("no reply within 500ms");
    }

    @Test
    void anEmptyDatagramIsAReplyAndSilenceIsNot() {
        assertThat(udp(new byte[0], new byte[0]).right()).isTrue();
        assertThat(explain(udp(utf8("hello"), new byte[0]))).isEqualTo("an empty reply came back instead of 5 bytes");
    }

    @Test
    void nulPaddingToTheBufferSize() {
        // The Java UDPServer: "hello world" (11 bytes) comes back as 1,024 bytes.
        byte[] got = Arrays.copyOf(utf8("HELLO WORLD"), 1024);
        assertThat(explain(udp(utf8("hello world"), got))).isEqualTo("the reply is padded with 1,013 NUL bytes:"
                + " the server sends its whole receive buffer (1,024 bytes) instead of the received length");
        assertThat(explain(tcp(List.of(utf8("hello\n")), Arrays.copyOf(utf8("HELLO\n"), 1000), Ending.REPLIED)))
                .isEqualTo("the reply is padded with 994 NUL bytes: the server sends its whole buffer instead of the"
                        + " number of bytes it read");
    }

    @Test
    void leftoversOfTheDatagramBefore() {
        // The Java UDPServer: after a 27-byte datagram, "short" comes back with its tail, then NULs.
        byte[] longer = utf8("a longer datagram, 27 bytes");
        byte[] got = Arrays.copyOf(UpperCase.unicode().apply(longer), 1024);
        System.arraycopy(utf8("SHORT"), 0, got, 0, 5);
        assertThat(explain(udp(utf8("short"), got).withEarlier(longer))).isEqualTo("the reply has 1,019 bytes too many,"
                + " starting with the rest of the previous, longer datagram: the server reuses its receive buffer and"
                + " ignores the length of the datagram it received (getLength())");
    }

    @Test
    void otherBytesAfterTheReply() {
        assertThat(explain(tcp("hi\n", "HI\nthere", Ending.REPLIED)))
                .isEqualTo("the reply has 5 unexpected bytes after the 3 expected ones");
        byte[] junk = Arrays.copyOf(utf8("HI\n"), 2048);
        junk[100] = 'x';
        assertThat(explain(tcp(List.of(utf8("hi\n")), junk, Ending.REPLIED))).isEqualTo("the reply has 2,045 unexpected"
                + " bytes after the 3 expected ones: it is exactly 2,048 bytes, most likely the server's whole buffer"
                + " sent instead of the bytes it read");
        assertThat(explain(udp(utf8("hi"), utf8("HI there")))).isEqualTo("the reply has 6 unexpected bytes after the"
                + " 2 expected ones: the server sends more than the datagram it received, its whole receive buffer or"
                + " what earlier datagrams left in it");
        junk = Arrays.copyOf(utf8("SHORT"), 1024);
        Arrays.fill(junk, 5, 200, (byte) 'x');
        assertThat(explain(udp(new byte[0], junk))).isEqualTo("an empty request got 1,024 bytes back: the server sends"
                + " more than the datagram it received, its whole receive buffer (1,024 bytes) or what earlier"
                + " datagrams left in it");
    }

    @Test
    void aDatagramCutToTheServersBuffer() {
        byte[] sent = Samples.filler(8192);
        byte[] got = Arrays.copyOf(UpperCase.unicode().apply(sent), 2048);
        assertThat(explain(udp(sent, got))).isEqualTo("only the first 2,048 of 8,192 bytes came back: the server"
                + " receives into a 2,048-byte buffer, and a longer datagram is cut to fit without notice");
        assertThat(explain(udp(sent, Arrays.copyOf(got, 1000)))).isEqualTo("the reply has only the first 1,000 of 8,192 bytes");
    }

    @Test
    void aLineCutAtOneRead() {
        // The Python TCPServer: one recv(1024), and a reset for the unread rest.
        byte[] line = Samples.line(3000);
        byte[] got = Arrays.copyOf(UpperCase.unicode().apply(line), 1024);
        assertThat(explain(tcp(List.of(line), got, Ending.RESET))).isEqualTo("only the first 1,024 of 3,000 bytes came"
                + " back, then the connection was reset: the server reads once into a 1,024-byte buffer (like"
                + " recv(1024)) and never reads the rest");
        assertThat(explain(tcp(List.of(line), Arrays.copyOf(got, 700), Ending.SILENT)))
                .isEqualTo("the reply stopped after 700 of 3,000 bytes, then nothing for 2s");
    }

    @Test
    void onlyTheFirstOfSeveralLines() {
        assertThat(explain(tcp("north\nsouth\neast west\n", "NORTH\n", Ending.SILENT))).isEqualTo("only the first of 3"
                + " lines was answered, then nothing for 2s: the server answers one line per connection (a single"
                + " readLine() per accepted connection), or loses what it read ahead");
        assertThat(explain(tcp("north\nsouth\neast west\n", "NORTH\nSOUTH\n", Ending.CLOSED))).isEqualTo("only the"
                + " first 2 of 3 lines were answered, then the connection was closed: the server answers one line, or"
                + " one read, per connection");
    }

    @Test
    void onlyTheFirstOfSeveralWrites() {
        // The Python TCPServer: a line in two segments comes back as its first part.
        List<byte[]> pieces = List.of(utf8("hel"), utf8("lo acr"), utf8("oss sev"), utf8("eral segm"), utf8("ents\n"));
        assertThat(explain(tcp(pieces, utf8("HEL"), Ending.CLOSED))).isEqualTo("only the first of 5 writes came back"
                + " (3 of 30 bytes), then the connection was closed: the server answers a single read (one recv)"
                + " instead of reading until the line is complete");
        assertThat(explain(tcp(pieces, utf8("HELLO ACR"), Ending.CLOSED))).startsWith("only the first 2 of 5 writes came back (9 of 30 bytes)");
    }

    @Test
    void onlyAsciiUppercased() {
        assertThat(explain(udp(utf8("straße für ﬁx"), utf8("STRAßE FüR ﬁX"))))
                .startsWith("only the ASCII letters a-z were uppercased, not the other UTF-8 letters");
    }

    @Test
    void aTextWithoutAsciiLettersIsNotBlamedOnAsciiOnly() {
        // ASCII-only uppercasing would be right here: the mistake must not be named where it makes no difference.
        assertThat(explain(udp(utf8("123"), utf8("124")))).startsWith("the reply differs from byte 2 on");
    }

    @Test
    void unchangedAndLowercased() {
        assertThat(explain(udp(utf8("hello"), utf8("hello")))).isEqualTo("the reply is the request unchanged: the"
                + " server sends back what it read without uppercasing it");
        assertThat(explain(udp(utf8("Hello"), utf8("hello")))).isEqualTo("the reply is lowercased: the server changes case the wrong way");
    }

    @Test
    void theTurkishLocale() {
        assertThat(explain(udp(utf8("quit"), utf8("QUİT")))).isEqualTo("'i' came back as 'İ' (U+0130, capital I with"
                + " a dot): the server uppercases in its default locale, which is Turkish here (String.toUpperCase()"
                + " without Locale.ROOT)");
        // And through DataOutputStream.writeBytes: "QU0T" (the defects table in examples/README.md).
        assertThat(explain(tcp("quit\n", "QU0T\n", Ending.REPLIED))).startsWith("'i' came back as '0'");
    }

    @Test
    void writeBytesDropsTheHighByte() {
        // "ğüş" goes out as 1E DC 5E: the low bytes of Ğ Ü Ş.
        assertThat(explain(tcp(List.of(utf8("ğüş\n")), hex("1E DC 5E 0A"), Ending.REPLIED)))
                .startsWith("each character went out as its low byte only");
    }

    @Test
    void oneToOneMapping() {
        assertThat(explain(udp(utf8("straße für"), utf8("STRAßE FÜR"))))
                .startsWith("letters were mapped one to one, so ß did not become SS");
    }

    @Test
    void latin1() {
        // "€" (E2 82 AC) read as Latin-1 is "â", U+0082, "¬": the â uppercases to Â (C2).
        byte[] sent = utf8("5€ for tea");
        byte[] got = new String(sent, java.nio.charset.StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(explain(udp(sent, got))).startsWith("the bytes were read as ISO-8859-1, not UTF-8");
    }

    @Test
    void invalidBytesReplacedOrDropped() {
        byte[] sent = hex("61 FF 62 C3 28 63"); // a, FF, b, truncated C3, (, c
        assertThat(explain(udp(sent, hex("41 EFBFBD 42 EFBFBD 28 43")))).isEqualTo("bytes that are not UTF-8 came"
                + " back as U+FFFD (EF BF BD), the replacement character: the server decodes the request as text,"
                + " replacing what does not decode; PROTOCOL.md wants such bytes passed unchanged");
        // Another decoder's count of U+FFFD: still named.
        assertThat(explain(udp(sent, hex("41 EFBFBD EFBFBD 42 EFBFBD 28 43")))).startsWith("bytes that are not UTF-8 came back as U+FFFD");
        assertThat(explain(udp(sent, hex("41 42 28 43")))).startsWith("the bytes that are not UTF-8 were dropped");
    }

    @Test
    void lineEnds() {
        assertThat(explain(tcp("carriage return\r\n", "CARRIAGE RETURN\n", Ending.REPLIED)))
                .startsWith("the CR of the CRLF was dropped: the server reads lines without their terminator (readLine())");
        assertThat(explain(tcp("red\n", "RED", Ending.SILENT))).startsWith("the line feed was dropped");
    }

    @Test
    void trimmed() {
        assertThat(explain(udp(utf8("  spaced out\t "), utf8("SPACED OUT"))))
                .isEqualTo("white space at the start or end was removed: the server trims the text (trim() or strip())");
    }

    @Test
    void aRightReplyOnAConnectionThatStaysOpen() {
        Observation o = tcp("last words\n", "LAST WORDS\n", Ending.SILENT).expectingClose();
        assertThat(explain(o)).isEqualTo("the reply came, but the connection stayed open for 2s after the client's"
                + " half-close: the server does not close when the client is done (it never closes, or ignores end of stream)");
        assertThat(tcp("last words\n", "LAST WORDS\n", Ending.CLOSED).expectingClose().right()).isTrue();
    }

    @Test
    void anythingElseShowsWhereTheBytesDiffer() {
        assertThat(explain(udp(utf8("hello world"), utf8("HELLO WURLD!")))).isEqualTo("the reply differs from byte 7 on:"
                + " expected \"ORLD\", got \"URLD!\" (12 bytes instead of 11)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1013 | 1,013", "65507 | 65,507", "100000 | 100,000", "7 | 7"})
    void numbersAreGroupedTheSameInEveryLocale(long n, String shown) {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR")); // would write 1.013
            assertThat(Diagnosis.number(n)).isEqualTo(shown);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void unreachable() {
        IOException refused = new ConnectException("Connection refused");
        assertThat(Diagnosis.unreachable(refused)).startsWith("connection refused: nothing listens there");
        assertThat(Diagnosis.unreachable(new PortUnreachableException()))
                .startsWith("nothing listens there: the host answered 'port unreachable'");
    }
}
