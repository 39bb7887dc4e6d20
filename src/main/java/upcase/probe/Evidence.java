package upcase.probe;

import java.util.Objects;

/**
 * What a failed check saw.
 *
 * @param sent what the probe sent (on TCP, everything sent on the connection so far)
 * @param expected what a conforming server sends back for it
 * @param got what came back; {@code null} when nothing did (no datagram, or no byte)
 */
public record Evidence(byte[] sent, byte[] expected, byte[] got) {
    public Evidence {
        Objects.requireNonNull(sent, "sent");
        Objects.requireNonNull(expected, "expected");
    }
}
