package upcase.udp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import upcase.fault.Faults;
import upcase.net.Durations;
import upcase.net.Engine;
import upcase.text.UpperCase;

/**
 * What a {@link UdpServer} listens on and how it transforms. A wildcard IP binds every
 * interface: {@code ::} is dual-stack (IPv4 clients arrive as IPv4-mapped addresses and are
 * answered over IPv4), {@code 0.0.0.0} is IPv4 only. Port 0 asks the kernel for a free port.
 * The defaults here are the only ones: the CLI shows them in its help and takes them from here.
 *
 * @param rateLimit at most this many replies per second to any one source address, or
 *     {@link #NO_RATE_LIMIT}
 * @param faults the fault knobs (delay, jitter, drop rate); {@link Faults#NONE} by default
 * @param reusePort SO_REUSEPORT on the socket, so that several processes share the port
 * @param engine how datagrams move: {@link Engine#AUTO} (the default) takes the native engine
 *     where it works; TCP's engines do not apply
 * @param threads serving threads of the native engine, each with its own socket on the port
 *     (SO_REUSEPORT); the NIO engine serves with one
 * @param spin how long a native serving thread waits on its CPU, after a batch of several
 *     datagrams, before it receives again, so that the next batch is fuller; zero never. NIO
 *     does not spin.
 */
public record UdpServerConfig(InetSocketAddress bind, UpperCase transform, int rateLimit, Faults faults,
        boolean reusePort, Engine engine, int threads, Duration spin) {
    /** The textbook Java UDPServer's port. */
    public static final int DEFAULT_PORT = 9876;
    /** Replies per second to one source address; 0 means no limit (the default). */
    public static final int NO_RATE_LIMIT = 0;
    public static final Engine DEFAULT_ENGINE = Engine.AUTO;
    /** The most --udp-threads takes: each thread holds a batch of about 2 MiB of native memory. */
    public static final int MAX_THREADS = 256;
    /**
     * Long enough for a busy socket to queue a batch meanwhile (at 200,000 datagrams a second,
     * four), short against the tens of microseconds a reply takes over loopback. Measured at
     * 64 x 8, 10 x 1 and 1 x 1 against 0 and 40us in docs/PERFORMANCE.md §The native UDP engine.
     */
    public static final String DEFAULT_SPIN = "20us";
    /** Beyond this a spin is a delay, not a wait for company: every reply of the batch before it is already sent, but the next request waits. */
    public static final Duration MAX_SPIN = Duration.ofMillis(1);

    /** One serving thread per core: the kernel spreads sources over them. */
    public static int defaultThreads() {
        return Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    }

    /** No rate limit. */
    public UdpServerConfig(InetSocketAddress bind, UpperCase transform) {
        this(bind, transform, NO_RATE_LIMIT);
    }

    /** No fault knobs, no shared port, the default engine and threads. */
    public UdpServerConfig(InetSocketAddress bind, UpperCase transform, int rateLimit) {
        this(bind, transform, rateLimit, Faults.NONE, false, DEFAULT_ENGINE, defaultThreads(), Durations.parse(DEFAULT_SPIN));
    }

    public UdpServerConfig {
        if (rateLimit < 0) {
            throw new IllegalArgumentException("rateLimit cannot be negative: " + rateLimit);
        }
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(engine, "engine");
        if (faults.limitsLines()) {
            throw new IllegalArgumentException("a UDP server has no connections to close or reset");
        }
        if (bind.isUnresolved()) {
            throw new IllegalArgumentException("unresolved bind address: " + bind.getHostString());
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + ", not " + threads);
        }
        Objects.requireNonNull(spin, "spin");
        if (spin.isNegative() || spin.compareTo(MAX_SPIN) > 0) {
            throw new IllegalArgumentException("the spin must be from 0 to " + Durations.format(MAX_SPIN) + ", not " + Durations.format(spin));
        }
    }

    public UdpServerConfig withFaults(Faults value) {
        return new UdpServerConfig(bind, transform, rateLimit, value, reusePort, engine, threads, spin);
    }

    public UdpServerConfig withReusePort(boolean value) {
        return new UdpServerConfig(bind, transform, rateLimit, faults, value, engine, threads, spin);
    }

    public UdpServerConfig withEngine(Engine value) {
        return new UdpServerConfig(bind, transform, rateLimit, faults, reusePort, value, threads, spin);
    }

    public UdpServerConfig withThreads(int value) {
        return new UdpServerConfig(bind, transform, rateLimit, faults, reusePort, engine, value, spin);
    }

    public UdpServerConfig withSpin(Duration value) {
        return new UdpServerConfig(bind, transform, rateLimit, faults, reusePort, engine, threads, value);
    }
}
