package upcase.udp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;

/**
 * The serving thread's work: receive a datagram, answer it, repeat, on a blocking socket. One
 * {@code recvfrom} and one {@code sendto} per datagram, loaded or idle: a non-blocking socket
 * with a selector made four syscalls per datagram whenever the queue ran dry (the receive that
 * finds it empty, {@code epoll_wait}, then the receive and the send), which is every datagram
 * for a client that waits for each reply (measured with {@code strace -c}, docs/PERFORMANCE.md).
 *
 * <p>Stopping: a thread blocked in {@code recvfrom} sees no flag, so {@link #stop} sends the
 * socket a datagram of its own, the marker, from a socket nobody else uses. The socket queue is
 * FIFO: when the loop receives the marker, it has answered every datagram queued before
 * {@code stop()}, and it ends. A marker the kernel dropped (a full queue) is sent again by
 * {@link #nudge}; a flood that never lets the queue empty ends at {@link #FINAL_DRAIN_NANOS}.
 *
 * <p>Owns the channel and the marker's socket from the moment the thread starts, and closes
 * both when it ends; {@link #forceClose} is the closing thread's last resort.
 */
final class ReplyLoop implements Runnable {
    private static final Logger LOG = System.getLogger("upcase.udp");
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    /** How long close() keeps answering: a client flooding faster than we answer must not keep us alive. */
    static final long FINAL_DRAIN_NANOS = Duration.ofSeconds(2).toNanos();

    private final DatagramChannel channel;
    /** Sends the marker; bound, so that the marker's source is known and no client can share it. */
    private final DatagramChannel marker;
    private final InetSocketAddress markerSource;
    private final InetSocketAddress markerTarget;
    private final UpperCase transform;
    private final int ownPort;

    // Heap arrays, allocated once: the transform works on byte[], and the JDK copies through
    // one cached direct buffer per call either way (a direct buffer here would only move the copy).
    private final byte[] in = new byte[Datagrams.RECEIVE_CAPACITY];
    private final ByteBuffer inBuffer = ByteBuffer.wrap(in);
    private final byte[] out;
    private final ByteBuffer outBuffer;

    private final Counter received = new Counter();
    private final Counter repliesSent = new Counter();
    private final Counter bytesIn = new Counter();
    private final Counter bytesOut = new Counter();
    /** By {@link Drop#ordinal()}. */
    private final Counter[] drops = new Counter[Drop.values().length];
    /** Null when there is no limit, so the common case costs one null check. */
    private final SourceRateLimit rateLimit;

    private final RateLimitedLog loopGuardLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog oversizedLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog sendFailureLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog receiveFailureLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog rateLimitLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);

    private volatile boolean stopping;
    private volatile long stopDeadline;
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();

    /**
     * @param channel a bound, blocking socket
     * @param marker a socket bound to {@code markerTarget}'s address, port 0
     * @param markerTarget where {@code channel} can be reached from {@code marker}
     */
    ReplyLoop(DatagramChannel channel, DatagramChannel marker, InetSocketAddress markerTarget, UdpServerConfig config,
            int ownPort) throws IOException {
        this.channel = channel;
        this.marker = marker;
        this.markerSource = (InetSocketAddress) marker.getLocalAddress();
        this.markerTarget = markerTarget;
        this.transform = config.transform();
        this.ownPort = ownPort;
        this.rateLimit = config.rateLimit() == UdpServerConfig.NO_RATE_LIMIT
                ? null
                : new SourceRateLimit(config.rateLimit(), SourceRateLimit.DEFAULT_MAX_SOURCES);
        // Sized for the largest datagram we can receive, not the largest we may send: an IPv6
        // datagram can carry 65,527 bytes, and a transform can also shrink text (U+0131 to I).
        this.out = new byte[Datagrams.RECEIVE_CAPACITY * transform.maxExpansion()];
        this.outBuffer = ByteBuffer.wrap(out);
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new Counter();
        }
    }

    /** Asks the loop to answer what is queued and end; returns at once. Called once, by the closing thread. */
    void stop() {
        stopDeadline = System.nanoTime() + FINAL_DRAIN_NANOS;
        stopping = true;
        nudge();
    }

    /** Sends the marker (again): the closing thread calls this while it waits for the loop to end. */
    void nudge() {
        try {
            marker.send(ByteBuffer.allocate(0), markerTarget);
        } catch (IOException e) {
            // The loop then ends at the drain deadline, or forceClose() ends it.
            LogEvent.of(Event.STOP_MARKER_FAILED, "sending the stop marker failed: " + e,
                    field("protocol", "udp"), field("detail", e.toString())).log(LOG, Level.DEBUG);
        }
    }

    /**
     * The closing thread's last resort, when the loop did not end: closing the socket makes
     * the blocked receive throw; what is still queued is lost.
     */
    void forceClose() {
        closeQuietly();
    }

    /** Completes with the cause if the loop ends without being asked to. */
    CompletableFuture<Throwable> broken() {
        return broken;
    }

    UdpStats stats() {
        Map<Drop, Long> dropped = new EnumMap<>(Drop.class);
        for (Drop why : Drop.values()) {
            dropped.put(why, drops[why.ordinal()].get());
        }
        return new UdpStats(received.get(), repliesSent.get(), bytesIn.get(), bytesOut.get(), dropped);
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (ClosedChannelException e) {
            if (stopping) {
                LogEvent.of(Event.SOCKET_CLOSED_WHILE_STOPPING,
                        "udp socket closed while stopping: datagrams still queued are not answered",
                        field("protocol", "udp")).log(LOG, Level.DEBUG);
            } else {
                LogEvent.of(Event.SERVER_BROKE, "udp socket closed under the server", field("protocol", "udp"))
                        .causedBy(e).log(LOG, Level.ERROR);
                broken.complete(e);
            }
        } catch (IOException | RuntimeException | Error e) {
            LogEvent.of(Event.SERVER_BROKE, "udp server stopped by an unexpected error", field("protocol", "udp"))
                    .causedBy(e).log(LOG, Level.ERROR);
            broken.complete(e);
        } finally {
            closeQuietly();
        }
    }

    /** Receives and answers until the marker comes back after stop(), or the drain deadline passes. */
    private void serve() throws ClosedChannelException {
        for (;;) {
            InetSocketAddress from;
            inBuffer.clear();
            try {
                from = (InetSocketAddress) channel.receive(inBuffer);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (PortUnreachableException e) {
                // Linux reports ICMP errors only on connected UDP sockets, but other systems
                // report one on this unconnected socket for an earlier reply whose client had
                // gone. It concerns a past reply, not this receive.
                LogEvent.of(Event.PORT_UNREACHABLE, "an earlier reply met a closed port", field("protocol", "udp"))
                        .log(LOG, Level.DEBUG);
                continue;
            } catch (IOException e) {
                // A socket error is cleared once reported, so it cannot repeat without cause.
                receiveFailureLog.log(() -> LogEvent.of(Event.RECEIVE_FAILED, "receive failed: " + e,
                        field("protocol", "udp"), field("detail", e.toString())));
                continue;
            }
            if (from.getPort() == markerSource.getPort() && from.getAddress().equals(markerSource.getAddress())) {
                if (stopping) {
                    return; // every datagram queued before stop() has been answered
                }
                continue;
            }
            try {
                answer(from, inBuffer.position());
            } catch (RuntimeException e) {
                // A bug must cost one datagram, not the service.
                InetSocketAddress source = from;
                failureLog.log(() -> LogEvent.of(Event.DATAGRAM_FAILED,
                        "datagram from " + SocketAddresses.format(source) + " not answered: " + e,
                        field("protocol", "udp"), field("peer", SocketAddresses.format(source)), field("detail", e.toString())));
                LogEvent.of(Event.DATAGRAM_FAILED_TRACE, "datagram not answered", field("protocol", "udp"))
                        .causedBy(e).log(LOG, Level.DEBUG);
            }
            if (stopping && System.nanoTime() - stopDeadline > 0) {
                LogEvent.of(Event.DRAIN_CUT, "stopping with datagrams still queued: they arrive faster than they are answered",
                        field("protocol", "udp")).log(LOG, Level.WARNING);
                return;
            }
        }
    }

    private void answer(InetSocketAddress from, int length) {
        received.increment();
        bytesIn.add(length);
        int port = from.getPort();
        if (LoopGuard.refuses(port, ownPort)) {
            dropped(Drop.LOOP_GUARD);
            loopGuardLog.log(() -> dropEvent(Drop.LOOP_GUARD, from, length, "a datagram from port " + port
                    + " may come from a server that answers every datagram (loop guard)"));
            return;
        }
        if (rateLimit != null && !rateLimit.allow(from.getAddress(), System.nanoTime())) {
            dropped(Drop.RATE_LIMIT);
            rateLimitLog.log(() -> dropEvent(Drop.RATE_LIMIT, from, length, "over --udp-rate-limit for its address"));
            return;
        }
        if (length == in.length) {
            dropped(Drop.OVERSIZE);
            oversizedLog.log(() -> dropEvent(Drop.OVERSIZE, from, length,
                    "datagram larger than " + Datagrams.RECEIVE_CAPACITY + " bytes was cut"));
            return;
        }
        int replyLength = transform.apply(in, 0, length, out, 0);
        if (replyLength > Datagrams.MAX_PAYLOAD) {
            dropped(Drop.OVERSIZE);
            oversizedLog.log(() -> dropEvent(Drop.OVERSIZE, from, length, length + " bytes become "
                    + replyLength + "; a UDP datagram holds at most " + Datagrams.MAX_PAYLOAD));
            return;
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            String peer = SocketAddresses.format(from);
            // Through MessageFormat, as the text log has always written this line: 65,507 bytes.
            LogEvent.of(Event.DATAGRAM_ANSWERED, MessageFormat.format("{0}: {1} bytes in, {2} out", peer, length, replyLength),
                    field("protocol", "udp"), field("peer", peer), field("bytes_in", length), field("bytes_out", replyLength))
                    .log(LOG, Level.DEBUG);
        }
        send(from, replyLength);
    }

    private void send(InetSocketAddress to, int length) {
        outBuffer.clear().limit(length);
        try {
            // Blocking: a datagram goes whole; the call waits only while the socket's send
            // buffer is full, which on Linux lasts until the device has sent earlier ones.
            channel.send(outBuffer, to);
            repliesSent.increment();
            bytesOut.add(length);
        } catch (IOException e) {
            dropped(Drop.SEND_FAILED);
            sendFailureLog.log(() -> dropEvent(Drop.SEND_FAILED, to, length, e.toString()));
        }
    }

    /** On the serving thread: the datagram just received gets no reply. */
    private void dropped(Drop why) {
        drops[why.ordinal()].increment();
    }

    /** A datagram not answered, for the rate-limited warning: {@code no reply to PEER: why}. */
    private static LogEvent dropEvent(Drop drop, InetSocketAddress peer, int length, String why) {
        String address = SocketAddresses.format(peer);
        return LogEvent.of(Event.UDP_DROPPED, "no reply to " + address + ": " + why,
                field("protocol", "udp"), field("peer", address), field("reason", drop.label()),
                field("bytes_in", length), field("detail", why));
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            LogEvent.of(Event.CLOSE_FAILED, "closing the udp socket failed", field("what", "udp socket"))
                    .causedBy(e).log(LOG, Level.WARNING);
        }
        try {
            marker.close();
        } catch (IOException e) {
            LogEvent.of(Event.CLOSE_FAILED, "closing the stop marker's socket failed", field("what", "stop marker socket"))
                    .causedBy(e).log(LOG, Level.WARNING);
        }
    }
}
