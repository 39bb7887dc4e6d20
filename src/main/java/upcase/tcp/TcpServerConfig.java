package upcase.tcp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import upcase.fault.Faults;
import upcase.net.Durations;
import upcase.proxy.ProxyPolicy;
import upcase.text.UpperCase;

/**
 * How a {@link TcpServer} runs. The defaults here are the only ones: the CLI shows them in its
 * help and takes them from here.
 *
 * @param bind where to listen; a wildcard address listens on every interface (dual stack)
 * @param transform what is done to the bytes
 * @param maxConnections connections beyond this many are closed as soon as they are accepted
 * @param idleTimeout a connection that sends nothing for this long is closed; zero means never
 * @param drainTimeout on shutdown, how long open connections get to receive their last replies
 * @param eventLoops how many threads serve connections; one per core is the measured best
 * @param faults the fault knobs (delay, jitter, close-after, reset-after); {@link Faults#NONE} by default
 * @param reusePort SO_REUSEPORT on the listening socket, so that several processes share the port
 * @param handshakeTimeout how long a connection that owes the server a handshake (a PROXY header
 *     from a trusted source) has from its accept to finish it, however slowly its bytes come
 * @param proxy whether and from whom a PROXY protocol header is expected; {@link ProxyPolicy#OFF} by default
 */
public record TcpServerConfig(
        InetSocketAddress bind,
        UpperCase transform,
        int maxConnections,
        Duration idleTimeout,
        Duration drainTimeout,
        int eventLoops,
        Faults faults,
        boolean reusePort,
        Duration handshakeTimeout,
        ProxyPolicy proxy) {

    public static final int DEFAULT_PORT = 6789;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final String DEFAULT_IDLE_TIMEOUT = "5m";
    public static final String DEFAULT_DRAIN_TIMEOUT = "10s";
    public static final String DEFAULT_HANDSHAKE_TIMEOUT = "10s";

    public TcpServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(proxy, "proxy");
        if (!handshakeTimeout.isPositive()) {
            throw new IllegalArgumentException("handshakeTimeout must be longer than zero");
        }
        if (faults.udpDropRate() != 0) {
            throw new IllegalArgumentException("a TCP server has no datagrams to drop");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        if (idleTimeout.isNegative() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1, not " + eventLoops);
        }
    }

    /** Every default, listening on {@code bind}. */
    public static TcpServerConfig defaults(InetSocketAddress bind) {
        return new TcpServerConfig(bind, UpperCase.unicode(), DEFAULT_MAX_CONNECTIONS,
                Durations.parse(DEFAULT_IDLE_TIMEOUT), Durations.parse(DEFAULT_DRAIN_TIMEOUT),
                Runtime.getRuntime().availableProcessors(), Faults.NONE, false,
                Durations.parse(DEFAULT_HANDSHAKE_TIMEOUT), ProxyPolicy.OFF);
    }

    public TcpServerConfig withTransform(UpperCase value) {
        return new TcpServerConfig(bind, value, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, proxy);
    }

    public TcpServerConfig withMaxConnections(int value) {
        return new TcpServerConfig(bind, transform, value, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, proxy);
    }

    public TcpServerConfig withIdleTimeout(Duration value) {
        return new TcpServerConfig(bind, transform, maxConnections, value, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, proxy);
    }

    public TcpServerConfig withEventLoops(int value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, value, faults, reusePort,
                handshakeTimeout, proxy);
    }

    public TcpServerConfig withDrainTimeout(Duration value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, value, eventLoops, faults, reusePort,
                handshakeTimeout, proxy);
    }

    public TcpServerConfig withFaults(Faults value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, value, reusePort,
                handshakeTimeout, proxy);
    }

    public TcpServerConfig withReusePort(boolean value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, value,
                handshakeTimeout, proxy);
    }

    public TcpServerConfig withHandshakeTimeout(Duration value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                value, proxy);
    }

    public TcpServerConfig withProxy(ProxyPolicy value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, value);
    }
}
