package upcase.probe;

import static upcase.probe.Samples.upper;
import static upcase.probe.Samples.utf8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/** The UDP checks, in the order they run. Each uses sockets of its own, on fresh ports. */
final class UdpChecks {
    private UdpChecks() {}

    static List<Check> all() {
        return List.of(
                check("udp.textbook.datagram", Level.TEXTBOOK,
                        "a short datagram comes back as exactly its uppercased payload",
                        (target, timing) -> datagram(target, timing, utf8(Samples.LINE))),
                check("udp.textbook.punctuation", Level.TEXTBOOK,
                        "only letters change: capitals, digits, punctuation and spaces come back as sent",
                        (target, timing) -> datagram(target, timing, utf8(Samples.PUNCTUATION))),
                check("udp.full.no-padding", Level.FULL,
                        "a short datagram after a longer one comes back with nothing of the longer one",
                        UdpChecks::noPadding),
                size(0),
                size(1_500),
                size(8_192),
                size(65_507),
                check("udp.full.whitespace", Level.FULL,
                        "spaces and tabs at the start and the end of a datagram are kept",
                        (target, timing) -> datagram(target, timing, utf8("  spaced out\t "))),
                check("udp.full.utf8-multibyte", Level.FULL,
                        "UTF-8 letters of two bytes (ğ, ω, ж, é) are uppercased",
                        (target, timing) -> datagram(target, timing, utf8(Samples.MULTIBYTE))),
                check("udp.full.utf8-expanding", Level.FULL,
                        "the full Unicode mapping: ß becomes SS, ﬁ becomes FI, ŉ becomes ʼN",
                        (target, timing) -> datagram(target, timing, utf8(Samples.EXPANDING))),
                check("udp.full.locale", Level.FULL,
                        "'i' becomes 'I', never the Turkish 'İ', whatever the server's locale",
                        (target, timing) -> datagram(target, timing, utf8(Samples.LOCALE))),
                check("udp.full.invalid-bytes", Level.FULL,
                        "bytes that are not UTF-8 come back unchanged, the text around them uppercased",
                        (target, timing) -> datagram(target, timing, Samples.INVALID)),
                check("udp.full.right-sender", Level.FULL,
                        "two clients each get their own reply, from the address and port they sent to",
                        UdpChecks::rightSender));
    }

    private static Check check(String id, Level level, String description, Check.Body body) {
        return new Check(id, level, Transport.UDP, description, body);
    }

    private static Check size(int n) {
        return check("udp.full.size-" + n, Level.FULL,
                n == 0 ? "an empty datagram gets an empty reply"
                        : "a datagram of " + Diagnosis.number(n) + " bytes comes back whole",
                (target, timing) -> datagram(target, timing, Samples.filler(n)));
    }

    /** One datagram; the reply must be exactly its transform. */
    private static Result datagram(InetSocketAddress target, Timing timing, byte[] payload) throws IOException {
        try (UdpPeer peer = UdpPeer.open(target)) {
            peer.send(payload);
            Observation o = Observation.of(Transport.UDP, List.of(payload), upper(payload), peer.receive(timing));
            return (payload.length == 0 ? o.ifSilent("the server ignores empty datagrams") : o).result();
        }
    }

    /**
     * The Java textbook server reuses its receive buffer and sends all of it: after a longer
     * datagram, a short one comes back with the longer one's tail (the defects table in examples/README.md).
     */
    private static Result noPadding(InetSocketAddress target, Timing timing) throws IOException {
        byte[] longer = utf8("a longer datagram, 27 bytes");
        byte[] shorter = utf8("short");
        try (UdpPeer peer = UdpPeer.open(target)) {
            peer.send(longer);
            Reply first = peer.receive(timing);
            if (first.ending() != Ending.REPLIED) {
                return Observation.of(Transport.UDP, List.of(longer), upper(longer), first).result();
            }
            peer.send(shorter);
            return Observation.of(Transport.UDP, List.of(shorter), upper(shorter), peer.receive(timing))
                    .withEarlier(longer)
                    .result();
        }
    }

    /**
     * Two clients at once: a reply sent to the wrong client shows up at the other one, and one
     * from an unexpected address or port is seen (the peers' sockets are unconnected).
     */
    private static Result rightSender(InetSocketAddress target, Timing timing) throws IOException {
        byte[] toA = utf8("reply to a");
        byte[] toB = utf8("reply to b");
        try (UdpPeer a = UdpPeer.open(target); UdpPeer b = UdpPeer.open(target)) {
            a.send(toA);
            b.send(toB);
            Timing both = timing.sharingOneTimeout();
            Reply replyA = a.receive(both);
            Reply replyB = b.receive(both);
            Result ra = ownReply(target, toA, replyA, toB);
            return ra.verdict() == Verdict.PASS ? ownReply(target, toB, replyB, toA) : ra;
        }
    }

    private static Result ownReply(InetSocketAddress target, byte[] sent, Reply reply, byte[] sentByOther) {
        Observation o = Observation.of(Transport.UDP, List.of(sent), upper(sent), reply);
        if (Arrays.equals(reply.bytes(), upper(sentByOther))) {
            return Result.fail(o.evidence(), "the reply meant for the other client came here: the server sends"
                    + " its replies to the wrong address (one it kept from an earlier datagram)");
        }
        if (!o.right()) {
            return o.result();
        }
        boolean fromTarget = reply.from().getPort() == target.getPort()
                && reply.from().getAddress().equals(target.getAddress());
        return fromTarget ? Result.pass() : Result.fail(o.evidence(), "the reply came from "
                + Endpoint.show(reply.from()) + ", not from " + Endpoint.show(target) + " where the datagram went:"
                + " the server answers from another socket or address, and a client that connects its socket"
                + " (as careful clients do) never sees the reply");
    }
}
