package upcase.tcp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import upcase.fault.Faults;
import upcase.net.Durations;
import upcase.net.Engine;
import upcase.proxy.ProxyPolicy;
import upcase.text.UpperCase;
import upcase.tls.ServerTlsSettings;

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
 * @param handshakeTimeout a TLS handshake (and a PROXY header) not done this long after the accept
 *     closes the connection, however slowly its bytes trickle in
 * @param tls a TLS listener; null when the server speaks plain TCP only
 * @param proxy whether and from whom a PROXY protocol header is expected; {@link ProxyPolicy#OFF} by default
 * @param engine how bytes move: {@link Engine#AUTO} (the default) takes epoll where it works here
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
        TlsListener tls,
        ProxyPolicy proxy,
        Engine engine) {

    public static final int DEFAULT_PORT = 6789;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final String DEFAULT_IDLE_TIMEOUT = "5m";
    public static final String DEFAULT_DRAIN_TIMEOUT = "10s";
    public static final String DEFAULT_HANDSHAKE_TIMEOUT = "10s";
    public static final Engine DEFAULT_ENGINE = Engine.AUTO;

    /**
     * Where TLS is spoken and with which files.
     *
     * @param files the certificate, its key and the optional client CA
     * @param bind a second listener for TLS beside the plain one ({@code server --tls-port});
     *     null when the server's one listener, at {@link TcpServerConfig#bind}, speaks TLS
     *     ({@code tcp-server --tls})
     */
    public record TlsListener(ServerTlsSettings files, InetSocketAddress bind) {
        public TlsListener {
            Objects.requireNonNull(files, "files");
        }
    }

    public TcpServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(engine, "engine");
        if (!handshakeTimeout.isPositive()) {
            throw new IllegalArgumentException("handshakeTimeout must be longer than zero");
        }
        if (faults.udpDropRate() != 0) {
            throw new IllegalArgumentException("a TCP server has no datagrams to drop");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        if (!handshakeTimeout.isPositive()) {
            throw new IllegalArgumentException("the handshake timeout must be positive, not " + Durations.format(handshakeTimeout));
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
                Durations.parse(DEFAULT_HANDSHAKE_TIMEOUT), null, ProxyPolicy.OFF, DEFAULT_ENGINE);
    }

    public TcpServerConfig withTransform(UpperCase value) {
        return new TcpServerConfig(bind, value, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, tls, proxy, engine);
    }

    public TcpServerConfig withMaxConnections(int value) {
        return new TcpServerConfig(bind, transform, value, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, tls, proxy, engine);
    }

    public TcpServerConfig withIdleTimeout(Duration value) {
        return new TcpServerConfig(bind, transform, maxConnections, value, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, tls, proxy, engine);
    }

    public TcpServerConfig withEventLoops(int value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, value, faults, reusePort,
                handshakeTimeout, tls, proxy, engine);
    }

    public TcpServerConfig withDrainTimeout(Duration value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, value, eventLoops, faults, reusePort,
                handshakeTimeout, tls, proxy, engine);
    }

    public TcpServerConfig withFaults(Faults value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, value, reusePort,
                handshakeTimeout, tls, proxy, engine);
    }

    public TcpServerConfig withReusePort(boolean value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, value,
                handshakeTimeout, tls, proxy, engine);
    }

    public TcpServerConfig withHandshakeTimeout(Duration value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                value, tls, proxy, engine);
    }

    public TcpServerConfig withTls(TlsListener value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, value, proxy, engine);
    }

    public TcpServerConfig withProxy(ProxyPolicy value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, tls, value, engine);
    }

    public TcpServerConfig withEngine(Engine value) {
        return new TcpServerConfig(bind, transform, maxConnections, idleTimeout, drainTimeout, eventLoops, faults, reusePort,
                handshakeTimeout, tls, proxy, value);
    }
}
