package upcase.udp;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import upcase.net.RateLimitedLog;
import upcase.net.SocketAddresses;

/**
 * Sends replies on the server's socket and counts them, for one thread: the reply loop has
 * one, and the thread that sends delayed replies (--delay) has its own, so that each
 * {@link Counter} keeps its single writer.
 */
final class ReplySender {
    private static final Logger LOG = System.getLogger("upcase.udp");

    private final DatagramChannel channel;
    private final Counter sent = new Counter();
    private final Counter bytesOut = new Counter();
    private final Counter failures = new Counter();
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));

    ReplySender(DatagramChannel channel) {
        this.channel = channel;
    }

    /** Sends {@code reply}'s remaining bytes to {@code to}; a failure is counted and logged, not thrown. */
    void send(ByteBuffer reply, InetSocketAddress to) {
        int length = reply.remaining();
        try {
            // Blocking: a datagram goes whole; the call waits only while the socket's send
            // buffer is full, which on Linux lasts until the device has sent earlier ones.
            channel.send(reply, to);
            sent.increment();
            bytesOut.add(length);
        } catch (IOException e) {
            failures.increment();
            failureLog.log(() -> ReplyLoop.dropEvent(Drop.SEND_FAILED, to, length, e.toString()));
        }
    }

    long sent() {
        return sent.get();
    }

    long bytesOut() {
        return bytesOut.get();
    }

    long failures() {
        return failures.get();
    }
}
