package upcase.tcp;

import java.time.Duration;
import java.util.Objects;
import upcase.tls.ClientTlsSettings;

/**
 * How {@link TcpClient} talks to a server.
 *
 * @param host the server's name or address
 * @param port the server's port
 * @param timeout how long to wait to connect, and for a reply while one is owed
 * @param interactive a person at a terminal: prompt, and prefix replies with {@code FROM SERVER: }
 * @param once answer one line and exit, like the textbook program
 * @param tls how to speak TLS to the server; null for plain TCP
 */
public record TcpClientOptions(String host, int port, Duration timeout, boolean interactive, boolean once,
        ClientTlsSettings tls) {
    public static final String DEFAULT_HOST = "localhost";
    public static final String DEFAULT_TIMEOUT = "10s";

    public TcpClientOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, not " + port);
        }
        if (timeout.isZero() || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
    }

    /** Plain TCP. */
    public TcpClientOptions(String host, int port, Duration timeout, boolean interactive, boolean once) {
        this(host, port, timeout, interactive, once, null);
    }
}
