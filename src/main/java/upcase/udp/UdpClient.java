package upcase.udp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import upcase.net.SocketAddresses;

/**
 * The UDP client. {@link #run} is the command-line client (standard input's lines as datagrams,
 * replies to standard output); an instance sends one datagram at a time to the server and waits
 * for the reply, trying again when none comes: UDP may lose either datagram, and the textbook
 * client then waited forever.
 *
 * <p>The socket is connected to the server, so the kernel delivers only datagrams from the
 * server's address and port (nobody else can inject a reply), and an ICMP port unreachable for
 * it is reported to us. Not thread-safe: one request at a time.
 */
public final class UdpClient implements AutoCloseable {
    private final InetSocketAddress server;
    private final long timeoutNanos;
    private final int tries;
    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(Datagrams.RECEIVE_CAPACITY);

    /**
     * @param server where requests go
     * @param timeout how long each try waits for the reply
     * @param retries how many times a request is sent again after a try got no reply
     */
    public UdpClient(InetSocketAddress server, Duration timeout, int retries) throws IOException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(timeout, "timeout");
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("unresolved server address: " + server.getHostString());
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
        this.server = server.getAddress().isAnyLocalAddress() ? thisHost(server) : server;
        this.timeoutNanos = timeout.toNanos();
        this.tries = retries + 1;
        this.selector = Selector.open();
        try {
            this.channel = DatagramChannel.open(
                    this.server.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        try {
            channel.connect(this.server);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Sends {@code payload} as one datagram and returns the reply's bytes.
     *
     * @throws IllegalArgumentException if {@code payload} does not fit in one datagram
     * @throws NoReplyException if no try got a reply in time
     */
    public byte[] request(byte[] payload) throws IOException {
        if (payload.length > Datagrams.MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    payload.length + " bytes; a UDP datagram holds at most " + Datagrams.MAX_PAYLOAD);
        }
        if (payload.length > 0) {
            return exchange(ByteBuffer.wrap(payload));
        }
        // The JDK sends nothing at all for an empty buffer on a connected DatagramChannel
        // (IOUtil skips zero-length writes), yet an empty datagram is a valid request. It goes
        // out from the same socket, disconnected for this one request; meanwhile the sender is
        // checked here instead of by the kernel, and ICMP errors are not reported (Linux reports
        // them to connected sockets only), so a closed port shows as timeouts.
        channel.disconnect();
        try {
            return exchange(ByteBuffer.allocate(0));
        } finally {
            channel.connect(server); // also drops whatever else arrived meanwhile
        }
    }

    private byte[] exchange(ByteBuffer out) throws IOException {
        boolean unreachable = false;
        for (int attempt = 0; attempt < tries; attempt++) {
            try {
                // A late reply to an earlier try would otherwise be taken for this try's reply.
                unreachable |= discardQueued();
                // The result is ignored: a datagram the kernel had no room for is lost like
                // one the network drops, and this try times out.
                channel.send(out.rewind(), server);
                byte[] reply = awaitReply(System.nanoTime() + timeoutNanos);
                if (reply != null) {
                    return reply;
                }
            } catch (PortUnreachableException e) {
                // ICMP port unreachable for our datagram: nothing listens there right now.
                // The try has failed early; the next one may find a restarted server.
                unreachable = true;
            }
        }
        throw new NoReplyException(server, tries, unreachable);
    }

    /** Reads and drops whatever is queued without waiting; true if a port-unreachable error was pending. */
    private boolean discardQueued() throws IOException {
        boolean unreachable = false;
        for (;;) {
            in.clear();
            try {
                if (channel.receive(in) == null) {
                    return unreachable;
                }
            } catch (PortUnreachableException e) {
                unreachable = true; // reported once, then cleared by the kernel
            }
        }
    }

    /** The server's next datagram, or null if none arrives before {@code deadline}. */
    private byte[] awaitReply(long deadline) throws IOException {
        for (;;) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            if (Thread.currentThread().isInterrupted()) {
                // select() returns at once while the interrupt is pending: don't spin until the deadline.
                throw new InterruptedIOException("interrupted while waiting for a reply from " + SocketAddresses.format(server));
            }
            // Round up: select(0) would mean "forever".
            long millis = TimeUnit.NANOSECONDS.toMillis(remaining + 999_999);
            if (selector.select(millis) > 0) {
                selector.selectedKeys().clear();
                in.clear();
                // receive(), not read(): read() returns 0 both for nothing and for an empty datagram.
                SocketAddress from = channel.receive(in);
                if (from != null && (channel.isConnected() || from.equals(server))) {
                    return Arrays.copyOf(in.array(), in.position());
                }
            }
        }
    }

    /**
     * Sends standard input's lines and writes the replies; returns the exit code: 0 when every
     * line was answered, 1 otherwise (each unanswered or too-long line is one line on
     * {@code stderr}).
     *
     * <p>Lines are bytes (never decoded), end at LF, and lose a CR before the LF, as the
     * textbook's {@code readLine()} does. {@code localhost} resolves to its first address
     * (127.0.0.1 unless the JVM prefers IPv6); the default server listens on both.
     *
     * @throws IOException if the host is unknown or the socket fails; the message names the server
     */
    public static int run(UdpClientOptions options, InputStream stdin, OutputStream stdout, PrintStream stderr)
            throws IOException {
        InetAddress address;
        try {
            address = InetAddress.getByName(options.host());
        } catch (UnknownHostException e) {
            throw new UnknownHostException("unknown host " + options.host());
        }
        InetSocketAddress server = new InetSocketAddress(address, options.port());
        try (UdpClient client = new UdpClient(server, options.timeout(), options.retries())) {
            return new LineSession(client, options.interactive(), options.once()).run(stdin, stdout, stderr);
        }
    }

    /** Where requests go (a wildcard address given to the constructor becomes loopback). */
    public InetSocketAddress server() {
        return server;
    }

    /**
     * "Connect to the wildcard" means this host (the kernel routes 0.0.0.0 to loopback), but
     * replies then come from a loopback address: name that one, so the sender check matches.
     */
    private static InetSocketAddress thisHost(InetSocketAddress wildcard) throws UnknownHostException {
        InetAddress loopback = InetAddress.getByName(wildcard.getAddress() instanceof Inet4Address ? "127.0.0.1" : "::1");
        return new InetSocketAddress(loopback, wildcard.getPort());
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
