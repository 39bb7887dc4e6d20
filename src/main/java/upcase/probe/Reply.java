package upcase.probe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What came back before the probe stopped waiting.
 *
 * @param bytes everything received (on TCP, since the connection opened)
 * @param ending why the wait ended
 * @param waited how long the wait lasted: "no reply within" this, when nothing came
 * @param from the sender of a datagram; {@code null} on TCP or when no datagram came
 */
record Reply(byte[] bytes, Ending ending, Duration waited, InetSocketAddress from) {
    Reply {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(waited, "waited");
    }
}
