package upcase.probe;

import static upcase.probe.Samples.upper;
import static upcase.probe.Samples.utf8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import upcase.tls.ClientContext;

/**
 * The TCP checks, in the order they run. Each opens connections of its own: plain TCP, or with
 * {@code --tls} TLS connections whose handshake is done, the handshake itself checked first.
 */
final class TcpChecks {
    /**
     * How long split-writes waits for an answer to one piece before it sends the next. Each
     * piece leaves as its own segment (TCP_NODELAY); waiting for its echo (a streaming server
     * answers at once) makes sure the server's read saw that piece alone, and the pause bounds the
     * wait for servers that answer only whole lines.
     */
    private static final Duration PAUSE = Duration.ofMillis(200);

    /** With --tls: the connections' TLS; null for plain TCP. */
    private final ClientContext tls;
    /** Whether the list starts with the TLS handshake check. */
    private final boolean handshake;

    /**
     * @param tls the connections' TLS, null for plain TCP
     * @param handshake whether the list starts with the handshake check (with {@code tls}; also
     *        without, for a catalogue of ids that is never run)
     */
    TcpChecks(ClientContext tls, boolean handshake) {
        this.tls = tls;
        this.handshake = handshake;
    }

    List<Check> all() {
        List<Check> checks = new ArrayList<>();
        if (handshake) {
            checks.add(check(TLS_HANDSHAKE, Level.TEXTBOOK,
                    "the TLS handshake succeeds: TLS 1.3 or 1.2, a certificate trusted and for the server's name"
                            + " (the protocol, cipher and certificate are noted)",
                    this::tlsHandshake));
        }
        checks.addAll(List.of(
                check("tcp.textbook.line", Level.TEXTBOOK,
                        "a short ASCII line ending in LF comes back uppercased (its LF optional, a close after it allowed)",
                        (target, timing) -> textbookLine(target, timing, Samples.LINE)),
                check("tcp.textbook.punctuation", Level.TEXTBOOK,
                        "only letters change: capitals, digits, punctuation and spaces come back as sent",
                        (target, timing) -> textbookLine(target, timing, Samples.PUNCTUATION)),
                check("tcp.full.several-lines", Level.FULL,
                        "three lines on one connection, each sent after the reply to the one before, are all answered",
                        this::severalLines),
                check("tcp.full.pipelining", Level.FULL,
                        "three lines sent in one write are all answered, in order",
                        (target, timing) -> lines(target, timing, utf8("north\nsouth\neast west\n"))),
                check("tcp.full.split-writes", Level.FULL,
                        "a line that arrives in five separate writes comes back whole",
                        this::splitWrites),
                check("tcp.full.no-line-end", Level.FULL,
                        "text without a line end is answered without waiting for one",
                        this::noLineEnd),
                check("tcp.full.line-3000", Level.FULL,
                        "a 3,000-byte line (over 1 KiB) comes back whole",
                        (target, timing) -> lines(target, timing, Samples.line(3_000))),
                check("tcp.full.line-100000", Level.FULL,
                        "a 100,000-byte line (over 64 KiB) comes back whole",
                        (target, timing) -> lines(target, timing, Samples.line(100_000))),
                check("tcp.full.crlf", Level.FULL,
                        "a line ending in CRLF comes back with its CRLF",
                        (target, timing) -> lines(target, timing, utf8("carriage return\r\n"))),
                check("tcp.full.half-close", Level.FULL,
                        "after the client half-closes, the server sends the reply and closes",
                        this::halfClose),
                check("tcp.full.utf8-multibyte", Level.FULL,
                        "UTF-8 letters of two bytes (ğ, ω, ж, é) are uppercased",
                        (target, timing) -> lines(target, timing, utf8(Samples.MULTIBYTE + "\n"))),
                check("tcp.full.utf8-expanding", Level.FULL,
                        "the full Unicode mapping: ß becomes SS, ﬁ becomes FI, ŉ becomes ʼN",
                        (target, timing) -> lines(target, timing, utf8(Samples.EXPANDING + "\n"))),
                check("tcp.full.locale", Level.FULL,
                        "'i' becomes 'I', never the Turkish 'İ', whatever the server's locale",
                        (target, timing) -> lines(target, timing, utf8(Samples.LOCALE + "\n"))),
                check("tcp.full.invalid-bytes", Level.FULL,
                        "bytes that are not UTF-8 come back unchanged, the text around them uppercased",
                        (target, timing) -> lines(target, timing, Samples.concat(Samples.INVALID, utf8("\n")))),
                // Last: it holds a connection open, and a server that serves one client at a time is
                // left with the least to do afterwards.
                check("tcp.full.second-client", Level.FULL,
                        "a second client is answered while a first one is connected and idle",
                        this::secondClient)));
        return checks;
    }

    /** The id of the check that reports the TLS handshake (only with --tls). */
    static final String TLS_HANDSHAKE = "tcp.textbook.tls-handshake";

    /** A connection to {@code target}, with TLS when the probe has it. */
    private TcpConnection open(InetSocketAddress target, Timing timing) throws IOException {
        return TcpConnection.open(target, timing, tls);
    }

    /**
     * Its own check, so that a refused certificate is one clear failure at the top of the report
     * (every check after it fails the same way, as the exchange cannot start).
     */
    private Result tlsHandshake(InetSocketAddress target, Timing timing) throws IOException {
        if (tls == null) {
            return Result.fail("not run: the probe has no TLS settings");
        }
        try (TcpConnection c = open(target, timing)) {
            return Result.pass(c.handshake());
        } catch (SSLException | SocketTimeoutException e) {
            return Result.fail(e.getMessage());
        }
    }

    private static Check check(String id, Level level, String description, Check.Body body) {
        return new Check(id, level, Transport.TCP, description, body);
    }

    /** One connection, one write; the reply must be its transform. */
    private Result lines(InetSocketAddress target, Timing timing, byte[] request) throws IOException {
        try (TcpConnection c = open(target, timing)) {
            c.send(request);
            byte[] expected = upper(request);
            Reply reply = c.await(Until.lines(Bytes.count(expected, '\n')), timing);
            return Observation.of(Transport.TCP, c.writes(), expected, reply).result();
        }
    }

    /**
     * The textbook's exchange: what its clients need is the uppercased line; whether the server
     * writes the LF back (the Java server does, the Python one echoes it) or closes afterwards
     * (the Python server does) does not matter to them.
     */
    private Result textbookLine(InetSocketAddress target, Timing timing, String line) throws IOException {
        byte[] request = utf8(line + "\n");
        // ASCII input: Unicode and ASCII uppercasing agree, so either kind of server can pass.
        byte[] expected = upper(request);
        try (TcpConnection c = open(target, timing)) {
            c.send(request);
            Reply reply = c.await(Until.lines(1), timing);
            if (Arrays.equals(reply.bytes(), 0, reply.bytes().length, expected, 0, expected.length - 1)) {
                return Result.pass();
            }
            return Observation.of(Transport.TCP, c.writes(), expected, reply).result();
        }
    }

    private Result severalLines(InetSocketAddress target, Timing timing) throws IOException {
        byte[] expected = new byte[0];
        try (TcpConnection c = open(target, timing)) {
            for (String line : List.of("red\n", "green\n", "blue\n")) {
                c.send(utf8(line));
                expected = Samples.concat(expected, upper(utf8(line)));
                Reply reply = c.await(Until.lines(Bytes.count(expected, '\n')), timing);
                Observation o = Observation.of(Transport.TCP, c.writes(), expected, reply);
                if (!o.right()) {
                    return o.result();
                }
            }
            return Result.pass();
        }
    }

    private Result splitWrites(InetSocketAddress target, Timing timing) throws IOException {
        List<String> pieces = List.of("hel", "lo acr", "oss sev", "eral segm", "ents\n");
        Timing pause = timing.withTimeout(PAUSE);
        try (TcpConnection c = open(target, timing)) {
            for (int i = 0; i < pieces.size(); i++) {
                c.send(utf8(pieces.get(i)));
                if (i < pieces.size() - 1) {
                    // All pieces go out even after a close: the report then says "the first of 5 writes".
                    c.await(Until.bytes(c.receivedLength() + 1), pause);
                }
            }
            Reply reply = c.await(Until.lines(1), timing);
            byte[] expected = upper(utf8(String.join("", pieces)));
            return Observation.of(Transport.TCP, c.writes(), expected, reply).result();
        }
    }

    private Result noLineEnd(InetSocketAddress target, Timing timing) throws IOException {
        byte[] text = utf8("no lf at the end");
        byte[] expected = upper(text);
        try (TcpConnection c = open(target, timing)) {
            c.send(text);
            Reply reply = c.await(Until.bytes(expected.length), timing);
            Observation o = Observation.of(Transport.TCP, c.writes(), expected, reply);
            if (o.right() || !o.nothingCame() || reply.ending() != Ending.SILENT) {
                return o.result();
            }
            // Silence: most likely a server that reads lines. An LF shows it, and lets such a
            // server go on to its next client instead of failing on a half-written reply.
            c.send(utf8("\n"));
            Reply late = c.await(Until.lines(1), timing);
            boolean answeredAfterLf = Bytes.startsWith(late.bytes(), expected);
            return o.ifSilent("the server waits for a line end (LF) before it answers"
                    + (answeredAfterLf ? "; it answered once an LF followed" : "")).result();
        }
    }

    private Result halfClose(InetSocketAddress target, Timing timing) throws IOException {
        byte[] request = utf8("last words\n");
        try (TcpConnection c = open(target, timing)) {
            c.send(request);
            c.shutdownOutput();
            Reply reply = c.await(Until.end(), timing);
            return Observation.of(Transport.TCP, c.writes(), upper(request), reply).expectingClose().result();
        }
    }

    private Result secondClient(InetSocketAddress target, Timing timing) throws IOException {
        byte[] firstLine = utf8("the one before\n");
        byte[] secondLine = utf8("a second one\n");
        try (TcpConnection first = open(target, timing);
                TcpConnection second = open(target, timing)) {
            second.send(secondLine);
            Reply reply = second.await(Until.lines(1), timing);
            Observation o = Observation.of(Transport.TCP, second.writes(), upper(secondLine), reply);
            if (o.right() || !o.nothingCame() || reply.ending() != Ending.SILENT) {
                return o.result();
            }
            // Silence. A server that serves one client at a time is busy with the idle first
            // client: let that one finish, and see whether the second one's reply follows.
            first.send(firstLine);
            first.shutdownOutput();
            Reply firstReply = first.await(Until.lines(1), timing);
            boolean followed = firstReply.bytes().length > 0
                    && Arrays.equals(second.await(Until.lines(1), timing).bytes(), upper(secondLine));
            return o.ifSilent("the server serves one client at a time, and the first one, connected and idle,"
                    + " holds it" + (followed ? "; the second was answered only once the first had sent its line"
                            + " and finished" : ""))
                    .result();
        }
    }
}
