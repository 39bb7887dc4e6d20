package upcase.udp;

import java.net.InetSocketAddress;
import java.util.Objects;
import upcase.fault.Faults;
import upcase.text.UpperCase;

/**
 * What a {@link UdpServer} listens on and how it transforms. A wildcard IP binds every
 * interface: {@code ::} is dual-stack (IPv4 clients arrive as IPv4-mapped addresses and are
 * answered over IPv4), {@code 0.0.0.0} is IPv4 only. Port 0 asks the kernel for a free port.
 *
 * @param rateLimit at most this many replies per second to any one source address, or
 *     {@link #NO_RATE_LIMIT}
 * @param faults the fault knobs (delay, jitter, drop rate); {@link Faults#NONE} by default
 * @param reusePort SO_REUSEPORT on the socket, so that several processes share the port
 */
public record UdpServerConfig(InetSocketAddress bind, UpperCase transform, int rateLimit, Faults faults,
        boolean reusePort) {
    /** The textbook Java UDPServer's port. */
    public static final int DEFAULT_PORT = 9876;
    /** Replies per second to one source address; 0 means no limit (the default). */
    public static final int NO_RATE_LIMIT = 0;

    /** No rate limit. */
    public UdpServerConfig(InetSocketAddress bind, UpperCase transform) {
        this(bind, transform, NO_RATE_LIMIT);
    }

    /** No fault knobs, no shared port. */
    public UdpServerConfig(InetSocketAddress bind, UpperCase transform, int rateLimit) {
        this(bind, transform, rateLimit, Faults.NONE, false);
    }

    public UdpServerConfig {
        if (rateLimit < 0) {
            throw new IllegalArgumentException("rateLimit cannot be negative: " + rateLimit);
        }
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(faults, "faults");
        if (faults.limitsLines()) {
            throw new IllegalArgumentException("a UDP server has no connections to close or reset");
        }
        if (bind.isUnresolved()) {
            throw new IllegalArgumentException("unresolved bind address: " + bind.getHostString());
        }
    }

    public UdpServerConfig withFaults(Faults value) {
        return new UdpServerConfig(bind, transform, rateLimit, value, reusePort);
    }

    public UdpServerConfig withReusePort(boolean value) {
        return new UdpServerConfig(bind, transform, rateLimit, faults, value);
    }
}
