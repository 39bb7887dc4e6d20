package upcase.cli;

import picocli.CommandLine.Parameters;
import upcase.tcp.TcpClientOptions;
import upcase.tcp.TcpServerConfig;
import upcase.udp.UdpServerConfig;

/** {@code [HOST [PORT]]}: the server a client or a load generator talks to. One per transport, for the default port. */
abstract class ServerAddress {
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", defaultValue = TcpClientOptions.DEFAULT_HOST,
            description = "Server name or address (default: ${DEFAULT-VALUE}).")
    String host;

    abstract int port();

    /** A TCP server: port 6789, or UPCASE_TCP_PORT. */
    static final class Tcp extends ServerAddress {
        @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", converter = PortConverter.Remote.class,
                defaultValue = "${env:UPCASE_TCP_PORT:-" + TcpServerConfig.DEFAULT_PORT + "}",
                description = "Server port (default: ${DEFAULT-VALUE}; env UPCASE_TCP_PORT).")
        int port;

        @Override
        int port() {
            return port;
        }
    }

    /** A UDP server: port 9876, or UPCASE_UDP_PORT. */
    static final class Udp extends ServerAddress {
        @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", converter = PortConverter.Remote.class,
                defaultValue = "${env:UPCASE_UDP_PORT:-" + UdpServerConfig.DEFAULT_PORT + "}",
                description = "Server port (default: ${DEFAULT-VALUE}; env UPCASE_UDP_PORT).")
        int port;

        @Override
        int port() {
            return port;
        }
    }
}
