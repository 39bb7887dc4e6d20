package upcase.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/** A plain, unconnected UDP socket for tests: sends datagrams and checks what comes back. */
final class Peer implements AutoCloseable {
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private final DatagramSocket socket;
    // Larger than any datagram, so a padded or over-long reply would show in its length.
    private final byte[] buffer = new byte[70_000];

    private Peer(DatagramSocket socket) {
        this.socket = socket;
    }

    static Peer bind(String host) throws IOException {
        return bind(new InetSocketAddress(InetAddress.getByName(host), 0));
    }

    static Peer bind(InetSocketAddress address) throws SocketException {
        DatagramSocket socket = new DatagramSocket(address);
        socket.setReceiveBufferSize(1 << 20);
        return new Peer(socket);
    }

    /** The server's address as a client on {@code host} reaches it (a wildcard-bound server included). */
    static InetSocketAddress at(String host, UdpServer server) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), server.localAddress().getPort());
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(byte[] payload, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(payload, payload.length, to));
    }

    void send(String text, InetSocketAddress to) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8), to);
    }

    byte[] receive() throws IOException {
        return receiveFrom(null);
    }

    /** The next datagram's exact bytes; fails the test if none arrives in time. */
    byte[] receiveFrom(InetSocketAddress expectedSender) throws IOException {
        DatagramPacket packet = next();
        if (expectedSender != null) {
            assertThat(packet.getPort()).as("sender port").isEqualTo(expectedSender.getPort());
        }
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    /** Receives {@code expected} and returns who sent it. */
    InetSocketAddress receiveWithSender(String expected) throws IOException {
        DatagramPacket packet = next();
        assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8)).isEqualTo(expected);
        return (InetSocketAddress) packet.getSocketAddress();
    }

    String receiveText() throws IOException {
        return new String(receive(), StandardCharsets.UTF_8);
    }

    /** Sends {@code text} to the server and returns the reply as text. */
    String ask(String text, InetSocketAddress server) throws IOException {
        send(text, server);
        return receiveText();
    }

    private DatagramPacket next() throws IOException {
        socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return fail("no datagram within " + REPLY_TIMEOUT);
        }
        return packet;
    }

    void assertNothingWithin(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException expected) {
            return;
        }
        fail("unexpected datagram of " + packet.getLength() + " bytes from " + packet.getSocketAddress());
    }

    @Override
    public void close() {
        socket.close();
    }
}
