package upcase.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import upcase.probe.Transport;

/**
 * Whether a program's port answers yet, asked once: the caller asks again until a deadline. Only
 * where /proc does not show the program's own sockets ({@link BoundPorts}): looking there
 * disturbs nothing, while this talks to the program, and a server that dies on its first client
 * must be caught by the checks, which say so, not die of this.
 *
 * <p>TCP: a connection is accepted. The probe is polite to fragile servers, and so is this: the
 * textbook's Java TCP server dies when a client closes without sending a line (its
 * {@code readLine()} returns null), so the connection sends one line and waits briefly for the
 * reply before it closes. UDP: a datagram gets a reply, or, when none comes, the port is bound
 * (in /proc/net/udp): the server is up and the checks will say what is wrong with its replies.
 * A connected UDP socket learns of "port unreachable" at once.
 */
final class Readiness {
    /** Where the probe talks to the program too: IPv4 loopback, what a bind to all addresses or to localhost covers. */
    static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final byte[] HELLO = "READY\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CONNECT_MILLIS = 250;
    private static final int REPLY_MILLIS = 250;

    private Readiness() {}

    static boolean answers(Transport transport, int port) {
        return transport == Transport.TCP ? tcp(port) : udp(port);
    }

    private static boolean tcp(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), CONNECT_MILLIS);
            try {
                s.setSoTimeout(REPLY_MILLIS);
                s.getOutputStream().write(HELLO);
                InputStream in = s.getInputStream();
                in.read(); // a byte, the end, or the timeout: the server has had its line
            } catch (IOException afterConnect) {
                // a reset or a silent server: it listens, which is all this asks
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean udp(int port) {
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            d.connect(new InetSocketAddress(LOOPBACK, port));
            d.setSoTimeout(REPLY_MILLIS);
            d.send(new DatagramPacket(HELLO, HELLO.length - 1));
            d.receive(new DatagramPacket(new byte[64], 64));
            return true;
        } catch (PortUnreachableException e) {
            return false;
        } catch (SocketTimeoutException e) {
            return BoundPorts.udpBound(port);
        } catch (IOException e) {
            return false;
        }
    }
}
