package upcase.probe;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One exchange as the probe saw it: the facts {@link Diagnosis} reasons from.
 *
 * @param writes what was sent, write by write (one datagram on UDP)
 * @param expected what a conforming server sends back for all of {@code writes}
 * @param got what came back (empty when nothing did; see {@code ending})
 * @param waited how long the last wait lasted
 * @param earlier a datagram sent before this one in the same check (for leftovers), or empty
 * @param closeExpected whether the server must also close the connection
 * @param ifSilent what silence most likely means in this check, or {@code null}
 */
record Observation(
        Transport transport,
        List<byte[]> writes,
        byte[] expected,
        byte[] got,
        Ending ending,
        Duration waited,
        byte[] earlier,
        boolean closeExpected,
        String ifSilent) {

    Observation {
        writes = List.copyOf(writes);
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(got, "got");
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(waited, "waited");
        Objects.requireNonNull(earlier, "earlier");
    }

    static Observation of(Transport transport, List<byte[]> writes, byte[] expected, Reply reply) {
        return new Observation(transport, writes, expected, reply.bytes(), reply.ending(), reply.waited(),
                new byte[0], false, null);
    }

    Observation withEarlier(byte[] datagram) {
        return new Observation(transport, writes, expected, got, ending, waited, datagram, closeExpected, ifSilent);
    }

    Observation expectingClose() {
        return new Observation(transport, writes, expected, got, ending, waited, earlier, true, ifSilent);
    }

    Observation ifSilent(String meaning) {
        return new Observation(transport, writes, expected, got, ending, waited, earlier, closeExpected, meaning);
    }

    /** Everything sent, in one piece. */
    byte[] sent() {
        return Bytes.concat(writes);
    }

    /** No byte and no datagram came back (an empty datagram is a reply). */
    boolean nothingCame() {
        return got.length == 0 && ending != Ending.REPLIED;
    }

    /** Whether the server did what it must: silence is never right, not even when the right reply is empty. */
    boolean right() {
        return !nothingCame() && Arrays.equals(got, expected) && (!closeExpected || ending == Ending.CLOSED);
    }

    /** Pass, or fail with the evidence and the most likely fault. */
    Result result() {
        return right() ? Result.pass() : Result.fail(evidence(), Diagnosis.explain(this));
    }

    Evidence evidence() {
        return new Evidence(sent(), expected, nothingCame() ? null : got);
    }
}
