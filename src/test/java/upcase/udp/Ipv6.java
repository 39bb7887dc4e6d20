package upcase.udp;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Assumptions;

/** Skips a test on hosts without IPv6 loopback (some containers). */
final class Ipv6 {
    private Ipv6() {}

    static void assumeLoopback() {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            Assumptions.assumeTrue(probe.isBound());
        } catch (SocketException | UnknownHostException e) {
            Assumptions.abort("no IPv6 loopback: " + e);
        }
    }
}
