package upcase.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import upcase.text.UpperCase;

/**
 * The most likely fault behind a wrong reply, in plain words. A pure function of what was
 * sent, expected and received: the rules go from the most specific (a reply that is exactly what
 * a known mistake produces) to the most general (where the bytes first differ).
 */
final class Diagnosis {
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final int SHOWN_AROUND_DIFFERENCE = 12;
    /** The Python textbook server dies on a request it cannot decode: say so where it shows first. */
    private static final String CRASHED = " (if the checks after this one find nothing listening, this request crashed it)";

    private Diagnosis() {}

    static String explain(Observation o) {
        if (o.nothingCame()) {
            return nothing(o);
        }
        byte[] got = o.got();
        byte[] expected = o.expected();
        if (Arrays.equals(got, expected)) {
            return notClosed(o);
        }
        byte[] sent = o.sent();
        for (Mistake mistake : Mistake.values()) {
            byte[] wrong = mistake.replyTo(sent, expected);
            if (!Arrays.equals(wrong, expected) && Arrays.equals(wrong, got)) {
                return mistake.explanation();
            }
        }
        if (got.length > expected.length && Bytes.startsWith(got, expected)) {
            return tooLong(o);
        }
        if (got.length < expected.length && Bytes.startsWith(expected, got)) {
            return tooShort(o);
        }
        if (Bytes.count(got, REPLACEMENT) > Bytes.count(expected, REPLACEMENT)) {
            // Decoders differ in how many U+FFFD they make of one bad sequence, so the reply need not
            // be exactly the JDK's (Mistake.INVALID_REPLACED): more U+FFFD than expected says enough.
            return Mistake.INVALID_REPLACED.explanation();
        }
        return differs(o);
    }

    /** Why the probe could not even exchange anything with the server. */
    static String unreachable(IOException e) {
        String stopped = " (if earlier checks were answered, the server has stopped: perhaps one of them crashed it)";
        return switch (e) {
            case ConnectException refused -> "connection refused: nothing listens there" + stopped;
            case PortUnreachableException unreachable ->
                "nothing listens there: the host answered 'port unreachable'" + stopped;
            case SocketTimeoutException timeout -> "could not connect: " + timeout.getMessage();
            default -> "the exchange failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        };
    }

    private static String nothing(Observation o) {
        return switch (o.ending()) {
            case SILENT -> "no reply within " + Timing.format(o.waited()) + (o.ifSilent() == null ? "" : ": " + o.ifSilent());
            case CLOSED -> "the server closed the connection without replying" + CRASHED;
            case RESET -> "the connection was reset without a reply" + CRASHED;
            case REPLIED -> throw new IllegalArgumentException("a reply came");
        };
    }

    /** The bytes were right; the connection should have closed and did not. */
    private static String notClosed(Observation o) {
        return switch (o.ending()) {
            case SILENT -> "the reply came, but the connection stayed open for " + Timing.format(o.waited())
                    + " after the client's half-close: the server does not close when the client is done"
                    + " (it never closes, or ignores end of stream)";
            case RESET -> "the reply came, but then the connection was reset instead of closed";
            case REPLIED, CLOSED -> "the reply came, but the connection did not close";
        };
    }

    private static String tooLong(Observation o) {
        byte[] got = o.got();
        int extra = got.length - o.expected().length;
        boolean udp = o.transport() == Transport.UDP;
        String size = bufferLike(got.length) ? " (" + number(got.length) + " bytes)" : "";
        if (allZero(got, o.expected().length)) {
            return "the reply is padded with " + number(extra) + " NUL bytes: the server sends its whole"
                    + (udp ? " receive buffer" + size + " instead of the received length"
                            : " buffer" + size + " instead of the number of bytes it read");
        }
        if (continuesWithEarlier(o)) {
            return "the reply has " + number(extra) + " bytes too many, starting with the rest of the previous,"
                    + " longer datagram: the server reuses its receive buffer and ignores the length of the"
                    + " datagram it received (getLength())";
        }
        String what = o.expected().length == 0
                ? "an empty request got " + number(got.length) + " bytes back"
                : "the reply has " + number(extra) + " unexpected bytes after the " + number(o.expected().length)
                        + " expected ones";
        if (udp) {
            // A datagram server has no stream to mix replies up: more bytes than the datagram's can
            // only come from its buffer.
            return what + ": the server sends more than the datagram it received, its whole receive buffer"
                    + size + " or what earlier datagrams left in it";
        }
        return what + (size.isEmpty() ? "" : ": it is exactly " + number(got.length)
                + " bytes, most likely the server's whole buffer sent instead of the bytes it read");
    }

    /** Whether the surplus begins with what an earlier, longer datagram left in a reused buffer. */
    private static boolean continuesWithEarlier(Observation o) {
        int from = o.expected().length;
        for (byte[] previous : List.of(UpperCase.unicode().apply(o.earlier()), o.earlier())) {
            int to = Math.min(previous.length, o.got().length);
            if (to > from && Arrays.equals(o.got(), from, to, previous, from, to)) {
                return true;
            }
        }
        return false;
    }

    private static String tooShort(Observation o) {
        byte[] got = o.got();
        int whole = o.expected().length;
        if (got.length == 0) {
            return "an empty reply came back instead of " + number(whole) + " bytes";
        }
        int lines = answeredLines(o);
        if (lines > 0) {
            int sentLines = Bytes.count(o.sent(), '\n');
            return (lines == 1 ? "only the first of " + sentLines + " lines was answered"
                            : "only the first " + lines + " of " + sentLines + " lines were answered")
                    + after(o) + (o.ending() == Ending.SILENT
                            ? ": the server answers one line per connection (a single readLine() per accepted"
                                    + " connection), or loses what it read ahead"
                            : ": the server answers one line, or one read, per connection");
        }
        int writes = answeredWrites(o);
        if (writes > 0) {
            return (writes == 1 ? "only the first" : "only the first " + writes) + " of " + o.writes().size()
                    + " writes came back (" + number(got.length) + " of " + number(whole) + " bytes)" + after(o)
                    + ": the server answers a single read (one recv) instead of reading until the line is complete";
        }
        String part = number(got.length) + " of " + number(whole) + " bytes";
        if (bufferLike(got.length)) {
            return o.transport() == Transport.UDP
                    ? "only the first " + part + " came back: the server receives into a " + number(got.length)
                            + "-byte buffer, and a longer datagram is cut to fit without notice"
                    : "only the first " + part + " came back" + after(o) + ": the server reads once into a "
                            + number(got.length) + "-byte buffer (like recv(" + got.length + ")) and never reads the rest";
        }
        return o.transport() == Transport.UDP
                ? "the reply has only the first " + part
                : "the reply stopped after " + part + after(o);
    }

    /** How many whole lines the reply answers, when it is exactly the replies to the first few of several lines. */
    private static int answeredLines(Observation o) {
        byte[] expected = o.expected();
        int lines = 0;
        for (int i = 0; i < expected.length - 1; i++) {
            if (expected[i] == '\n') {
                lines++;
                if (i + 1 == o.got().length) {
                    return lines;
                }
            }
        }
        return 0;
    }

    /** How many whole writes the reply answers, when it is exactly the reply to the first few writes. */
    private static int answeredWrites(Observation o) {
        for (int j = 1; j < o.writes().size(); j++) {
            if (Arrays.equals(UpperCase.unicode().apply(Bytes.concat(o.writes().subList(0, j))), o.got())) {
                return j;
            }
        }
        return 0;
    }

    private static String after(Observation o) {
        return switch (o.ending()) {
            case SILENT -> ", then nothing for " + Timing.format(o.waited());
            case CLOSED -> ", then the connection was closed";
            case RESET -> ", then the connection was reset";
            case REPLIED -> "";
        };
    }

    private static String differs(Observation o) {
        byte[] got = o.got();
        byte[] expected = o.expected();
        int i = Arrays.mismatch(got, expected);
        String lengths = got.length == expected.length ? ""
                : " (" + number(got.length) + " bytes instead of " + number(expected.length) + ")";
        return "the reply differs from byte " + number(i) + " on: expected " + around(expected, i) + ", got "
                + around(got, i) + lengths;
    }

    private static String around(byte[] b, int from) {
        return Escaping.show(Arrays.copyOfRange(b, from, Math.min(b.length, from + SHOWN_AROUND_DIFFERENCE)))
                + (b.length > from + SHOWN_AROUND_DIFFERENCE ? "..." : "");
    }

    /** Sizes people pick for receive buffers: 1,024, 2,048, ... */
    private static boolean bufferLike(int n) {
        return n >= 256 && Integer.bitCount(n) == 1;
    }

    private static boolean allZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }


    /** 1,013: grouped the same way whatever the default locale (a Turkish one would write 1.013). */
    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
