package upcase.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * One probe UDP socket, on an ephemeral port of its own, so no check sees another's replies.
 * Unconnected, like the textbook's clients: a reply counts wherever it comes from (only the
 * right-sender check asks from where), since those clients accept it too.
 *
 * <p>A server slower than 200 ms gets one datagram twice (see {@link #receive}); the copy comes
 * from another socket, so the check's own reply is still the one it judges.
 */
final class UdpPeer implements AutoCloseable {
    /** Larger than any UDP payload, so a padded or over-long reply shows in its length. */
    private static final int BUFFER = 65_536;
    /** How long a reply may take before the probe asks whether anything listens. */
    private static final Duration ASK_AFTER = Duration.ofMillis(200);
    /** How long it listens for "port unreachable": on loopback it comes at once. */
    private static final Duration ICMP_WAIT = Duration.ofMillis(100);

    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private byte[] lastSent = new byte[0];

    private UdpPeer(DatagramSocket socket, InetSocketAddress target) {
        this.socket = socket;
        this.target = target;
    }

    static UdpPeer open(InetSocketAddress target) throws IOException {
        DatagramSocket socket = new DatagramSocket();
        try {
            socket.setReceiveBufferSize(1 << 20);
            return new UdpPeer(socket, target);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    void send(byte[] payload) throws IOException {
        socket.send(new DatagramPacket(payload, payload.length, target));
        lastSent = payload;
    }

    /**
     * The next datagram, or {@link Ending#SILENT} after the timing's next wait.
     *
     * @throws PortUnreachableException if the silence is because nothing listens at the target
     */
    Reply receive(Timing timing) throws IOException {
        long start = System.nanoTime();
        Duration wait = timing.nextWait();
        DatagramPacket packet = new DatagramPacket(new byte[BUFFER], BUFFER);
        // A short wait first: a live server has answered by then, and when it has not, whether
        // anything listens at all is worth asking before the rest of the wait. Nothing listening
        // then costs a fraction of a second per check instead of a timeout.
        Duration first = wait.compareTo(ASK_AFTER) < 0 ? wait : ASK_AFTER;
        Reply silence = new Reply(new byte[0], Ending.SILENT, wait, null);
        if (wait.isZero()) {
            return silence;
        }
        if (!receive(packet, first)) {
            if (nothingListens()) {
                throw new PortUnreachableException("port unreachable");
            }
            Duration rest = wait.minusNanos(System.nanoTime() - start);
            if (rest.isNegative() || rest.isZero() || !receive(packet, rest)) {
                return silence;
            }
        }
        return new Reply(Arrays.copyOf(packet.getData(), packet.getLength()), Ending.REPLIED,
                Duration.ofNanos(System.nanoTime() - start), (InetSocketAddress) packet.getSocketAddress());
    }

    /** Whether a datagram came within {@code wait}. */
    private boolean receive(DatagramPacket packet, Duration wait) throws IOException {
        socket.setSoTimeout(Timing.socketTimeout(wait));
        try {
            socket.receive(packet);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /**
     * Whether the target's host says "port unreachable". Only a connected socket hears that
     * (the kernel does not report it on unconnected ones), so one asks, with the last payload:
     * an empty one is never sent from a connected socket (the JDK writes nothing), so it cannot
     * tell. A live but silent server just gets the payload once more.
     */
    private boolean nothingListens() throws IOException {
        if (lastSent.length == 0) {
            return false;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(target);
            probe.setSoTimeout(Timing.socketTimeout(ICMP_WAIT));
            probe.send(new DatagramPacket(lastSent, lastSent.length));
            probe.receive(new DatagramPacket(new byte[1], 1));
            return false;
        } catch (PortUnreachableException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
