package upcase.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.Option;
import upcase.udp.UdpServerConfig;

/** The UDP server's limits. */
final class UdpOptions {
    @Option(names = "--udp-rate-limit", paramLabel = "N", converter = CountConverter.OrZero.class,
            defaultValue = "" + UdpServerConfig.NO_RATE_LIMIT,
            description = "At most N UDP replies per second to any one source address; 0 = no limit (default).")
    int rateLimit;

    UdpServerConfig config(InetSocketAddress bind, ListenOptions listen) {
        return new UdpServerConfig(bind, listen.transform(), rateLimit).withReusePort(listen.reusePort);
    }
}
