package upcase.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Option;
import upcase.tcp.TcpServerConfig;

/** The TCP server's limits. */
final class TcpOptions {
    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + TcpServerConfig.DEFAULT_MAX_CONNECTIONS,
            converter = CountConverter.class,
            description = "Close connections beyond N at once (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = TcpServerConfig.DEFAULT_IDLE_TIMEOUT,
            converter = DurationConverter.class,
            description = "Close a connection silent this long; 0 = never (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = TcpServerConfig.DEFAULT_DRAIN_TIMEOUT,
            converter = DurationConverter.class,
            description = "On SIGINT/SIGTERM, time open connections get for their last replies (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION",
            defaultValue = TcpServerConfig.DEFAULT_HANDSHAKE_TIMEOUT, converter = DurationConverter.Positive.class,
            description = "Close a connection whose PROXY header and TLS handshake are not done this long after"
                    + " its accept (default: ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    TcpServerConfig config(InetSocketAddress bind, ListenOptions listen) {
        return TcpServerConfig.defaults(bind)
                .withTransform(listen.transform())
                .withMaxConnections(maxConnections)
                .withIdleTimeout(idleTimeout)
                .withDrainTimeout(drainTimeout)
                .withHandshakeTimeout(handshakeTimeout)
                .withReusePort(listen.reusePort)
                .withEngine(listen.engine);
    }
}
