package upcase.udp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;

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
 * <p>With --reuse-port the kernel picks one socket of the port's group by a hash of the source,
 * so the marker may land at a sibling process (which answers it like any empty datagram). So
 * there every nudge comes from a new marker socket, a new source port and hash, until one
 * reaches this socket; any of them ends the loop.
 *
 * <p>Owns the channel and the marker's socket from the moment the thread starts, and closes
 * both when it ends; {@link #forceClose} is the closing thread's last resort.
 */
final class ReplyLoop implements ServingLoop {
    private static final Logger LOG = System.getLogger("upcase.udp");
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    /**
     * How long close() keeps answering: a client flooding faster than we answer must not keep us
     * alive. A constant expression (2 s), so that the native engine's stop, which reads it too,
     * does not load this class: from a class directory that opens a file, and a server stopped at
     * its descriptor limit could not, and hung (DescriptorExhaustionTest).
     */
    static final long FINAL_DRAIN_NANOS = 2_000_000_000L;

    private final DatagramChannel channel;
    /** Sends the marker; bound, so that the marker's source is known and no client can share it. */
    private final DatagramChannel marker;
    private final InetSocketAddress markerSource;
    private final InetSocketAddress markerTarget;
    /** --reuse-port: the extra marker sockets of later nudges, and their ports. Guarded by itself. */
    private final List<DatagramChannel> extraMarkers;
    private final Set<Integer> extraMarkerPorts = ConcurrentHashMap.newKeySet();
    private final DatagramAnswerer answerer;
    private final ByteBuffer inBuffer;
    private final ByteBuffer outBuffer;
    private final ReplySender replies;
    /** Null unless replies are delayed: then they go through this, sent by its own thread. */
    private final DelayedReplies delayedReplies;
    private final RateLimitedLog receiveFailureLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);

    private volatile boolean stopping;
    private volatile long stopDeadline;
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();

    /**
     * @param channel a bound, blocking socket
     * @param marker a socket bound to {@code markerTarget}'s address, port 0
     * @param markerTarget where {@code channel} can be reached from {@code marker}
     * @param delayedReplies started, when the config delays replies; else null. The loop finishes it before closing the channel
     */
    ReplyLoop(DatagramChannel channel, DatagramChannel marker, InetSocketAddress markerTarget, UdpServerConfig config,
            int ownPort, DelayedReplies delayedReplies) throws IOException {
        this.channel = channel;
        this.replies = new ReplySender(channel);
        this.delayedReplies = delayedReplies;
        this.marker = marker;
        this.markerSource = (InetSocketAddress) marker.getLocalAddress();
        this.markerTarget = markerTarget;
        this.extraMarkers = config.reusePort() ? new ArrayList<>() : null;
        this.answerer = new DatagramAnswerer(config, ownPort, DatagramAnswerer.rateLimit(config), delayedReplies);
        this.inBuffer = ByteBuffer.wrap(answerer.in());
        this.outBuffer = ByteBuffer.wrap(answerer.out());
    }

    /** Asks the loop to answer what is queued and end; returns at once. Called once, by the closing thread. */
    @Override
    public void stop() {
        stopDeadline = System.nanoTime() + FINAL_DRAIN_NANOS;
        stopping = true;
        nudge();
    }

    /** Sends the marker (again): the closing thread calls this while it waits for the loop to end. */
    @Override
    public void nudge() {
        try {
            DatagramChannel from = marker;
            if (extraMarkers != null && nudgedBefore()) {
                from = newMarker();
            }
            from.send(ByteBuffer.allocate(0), markerTarget);
        } catch (IOException e) {
            // The loop then ends at the drain deadline, or forceClose() ends it.
            LogEvent.of(Event.STOP_MARKER_FAILED, "sending the stop marker failed: " + e,
                    field("protocol", "udp"), field("detail", e.toString())).log(LOG, Level.DEBUG);
        }
    }

    private boolean nudgedOnce;
    /** Guarded by extraMarkers. */
    private boolean markersClosed;

    /** Whether this is not the first nudge; the closing thread's only. */
    private boolean nudgedBefore() {
        boolean before = nudgedOnce;
        nudgedOnce = true;
        return before;
    }

    /** A marker socket on a new port, for --reuse-port; closed with the others when the loop ends. */
    private DatagramChannel newMarker() throws IOException {
        DatagramChannel next = DatagramChannel.open(markerTarget.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        synchronized (extraMarkers) {
            if (markersClosed) {
                next.close();
                throw new java.nio.channels.ClosedChannelException(); // the loop has ended
            }
            extraMarkers.add(next);
        }
        next.bind(new InetSocketAddress(markerSource.getAddress(), 0));
        extraMarkerPorts.add(((InetSocketAddress) next.getLocalAddress()).getPort());
        return next;
    }

    /** Whether an empty datagram from {@code from} is one of our stop markers. */
    private boolean isMarker(InetSocketAddress from) {
        return from.getAddress().equals(markerSource.getAddress())
                && (from.getPort() == markerSource.getPort() || extraMarkers != null && extraMarkerPorts.contains(from.getPort()));
    }

    /**
     * The closing thread's last resort, when the loop did not end: closing the socket makes
     * the blocked receive throw; what is still queued is lost.
     */
    @Override
    public void forceClose() {
        closeQuietly();
    }

    /** Completes with the cause if the loop ends without being asked to. */
    @Override
    public CompletableFuture<Throwable> broken() {
        return broken;
    }

    @Override
    public UdpStats stats() {
        return answerer.stats(delayedReplies == null
                ? List.of(replies.counts())
                : List.of(replies.counts(), delayedReplies.sender().counts()));
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
            if (delayedReplies != null) {
                // Replies already accepted go out before the socket closes (PROTOCOL.md §Faults).
                delayedReplies.finish(stopping ? stopDeadline : System.nanoTime());
            }
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
            if (inBuffer.position() == 0 && isMarker(from)) { // markers are empty: one compare for the rest
                if (stopping) {
                    return; // every datagram queued before stop() has been answered
                }
                continue;
            }
            try {
                int length = inBuffer.position();
                int replyLength = answerer.answer(from, length, length == inBuffer.capacity());
                if (replyLength != DatagramAnswerer.NO_REPLY) {
                    replies.send(outBuffer.clear().limit(replyLength), from);
                }
            } catch (RuntimeException e) {
                answerer.failed(from, e);
            }
            if (stopping && System.nanoTime() - stopDeadline > 0) {
                LogEvent.of(Event.DRAIN_CUT, "stopping with datagrams still queued: they arrive faster than they are answered",
                        field("protocol", "udp")).log(LOG, Level.WARNING);
                return;
            }
        }
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
            if (extraMarkers != null) {
                synchronized (extraMarkers) {
                    markersClosed = true;
                    for (DatagramChannel extra : extraMarkers) {
                        extra.close();
                    }
                }
            }
        } catch (IOException e) {
            LogEvent.of(Event.CLOSE_FAILED, "closing the stop marker's socket failed", field("what", "stop marker socket"))
                    .causedBy(e).log(LOG, Level.WARNING);
        }
    }
}
