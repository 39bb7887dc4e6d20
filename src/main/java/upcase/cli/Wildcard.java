package upcase.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/**
 * The default listening address: {@code ::}, which on Linux also accepts IPv4 (the JDK leaves
 * IPV6_V6ONLY off), so {@code upcase: tcp listening on [::]:6789} says what is true; or
 * {@code 0.0.0.0} where the kernel has no IPv6.
 */
final class Wildcard {
    private Wildcard() {}

    static InetAddress address() {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            return InetAddress.ofLiteral("::");
        } catch (UnsupportedOperationException | IOException noIpv6) {
            return InetAddress.ofLiteral("0.0.0.0");
        }
    }
}
