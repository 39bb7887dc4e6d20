package upcase.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/** One probe UDP socket, on an ephemeral port of its own, so no check sees another's replies. */
final class UdpPeer implements AutoCloseable {
    /** Larger than any UDP payload, so a padded or over-long reply shows in its length. */
    private static final int BUFFER = 65_536;

    private final DatagramSocket socket;
    private final InetSocketAddress target;

    private UdpPeer(DatagramSocket socket, InetSocketAddress target) {
        this.socket = socket;
        this.target = target;
    }

    /**
     * A socket connected to {@code target}: the kernel then reports "port unreachable" (nothing
     * listens) at once instead of leaving the probe to wait, and keeps other senders out.
     */
    static UdpPeer connectedTo(InetSocketAddress target) throws IOException {
        UdpPeer peer = unconnected(target);
        peer.socket.connect(target);
        return peer;
    }

    /** A socket that also receives from addresses other than {@code target}: to see who replies. */
    static UdpPeer unconnected(InetSocketAddress target) throws IOException {
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
    }

    /** The next datagram, or {@link Ending#SILENT} after the timing's next wait. */
    Reply receive(Timing timing) throws IOException {
        long start = System.nanoTime();
        Duration wait = timing.nextWait();
        if (wait.isZero()) {
            return new Reply(new byte[0], Ending.SILENT, Duration.ZERO, null);
        }
        socket.setSoTimeout(Timing.socketTimeout(wait));
        DatagramPacket packet = new DatagramPacket(new byte[BUFFER], BUFFER);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return new Reply(new byte[0], Ending.SILENT, wait, null);
        }
        return new Reply(Arrays.copyOf(packet.getData(), packet.getLength()), Ending.REPLIED,
                Duration.ofNanos(System.nanoTime() - start), (InetSocketAddress) packet.getSocketAddress());
    }

    @Override
    public void close() {
        socket.close();
    }
}
