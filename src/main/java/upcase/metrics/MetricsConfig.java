package upcase.metrics;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the metrics listener guards itself. The defaults here are the only ones.
 *
 * @param bind where to listen
 * @param maxConnections connections held at once; one more closes the oldest, so a flood of
 *     slow clients cannot lock a scraper out and cannot hold more than this many sockets
 * @param requestDeadline from accept to the last byte of the reply: a client too slow to send
 *     its request or to read the reply is closed then
 * @param maxRequestBytes the request line and headers together; a scrape needs a few hundred
 */
public record MetricsConfig(InetSocketAddress bind, int maxConnections, Duration requestDeadline, int maxRequestBytes) {
    public static final int DEFAULT_MAX_CONNECTIONS = 128;
    /** Prometheus's default scrape timeout is 10 s; a scrape on a LAN takes milliseconds. */
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_REQUEST_BYTES = 8 * 1024;

    public MetricsConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(requestDeadline, "requestDeadline");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        if (requestDeadline.isNegative() || requestDeadline.isZero()) {
            throw new IllegalArgumentException("requestDeadline must be positive");
        }
        if (maxRequestBytes < 64) {
            throw new IllegalArgumentException("maxRequestBytes must be at least 64, not " + maxRequestBytes);
        }
    }

    /** Every default, listening on {@code bind}. */
    public static MetricsConfig defaults(InetSocketAddress bind) {
        return new MetricsConfig(bind, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_DEADLINE, DEFAULT_MAX_REQUEST_BYTES);
    }
}
