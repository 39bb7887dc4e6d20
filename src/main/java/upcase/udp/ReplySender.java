package upcase.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends replies on the NIO engine's channel and counts them. The reply loop has one; the thread
 * that sends delayed replies (--delay) has its own, so that each {@link SendCounts} keeps its
 * single writer.
 */
final class ReplySender {
    private final DatagramChannel channel;
    private final SendCounts counts = new SendCounts();

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
            counts.sent(length);
        } catch (IOException e) {
            counts.failed(to, length, e.toString());
        }
    }

    SendCounts counts() {
        return counts;
    }
}
