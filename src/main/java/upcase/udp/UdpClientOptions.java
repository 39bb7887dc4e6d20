package upcase.udp;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link UdpClient#run} talks to a server.
 *
 * @param host the server's name or address
 * @param port the server's port
 * @param timeout how long each try waits for the reply
 * @param retries how many more times a line is sent when a try got no reply
 * @param interactive a person at a terminal: prompt, and prefix replies with {@code FROM SERVER: }
 * @param once answer one line and exit, like the textbook program
 */
public record UdpClientOptions(String host, int port, Duration timeout, int retries, boolean interactive, boolean once) {
    public static final String DEFAULT_HOST = "localhost";
    public static final String DEFAULT_TIMEOUT = "1s";
    /** Three tries in all. */
    public static final int DEFAULT_RETRIES = 2;

    public UdpClientOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, not " + port);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, not " + retries);
        }
    }
}
