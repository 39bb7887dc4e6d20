package upcase.udp;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import upcase.net.RateLimitedLog;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;

/**
 * The serving thread's work: receive every queued datagram, answer it, and only then wait in
 * {@code select()}. Under load the socket queue never runs dry, so the loop makes one
 * {@code recvfrom} and one {@code sendto} per datagram and no other syscall.
 *
 * <p>Owns the channel and the selector from the moment the thread starts, and closes both when
 * it ends.
 */
final class ReplyLoop implements Runnable {
    private static final Logger LOG = System.getLogger("upcase.udp");
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    /** How long one reply may wait for send-buffer space before it is given up. */
    private static final long SEND_STALL_NANOS = Duration.ofSeconds(2).toNanos();
    /** How long close() keeps answering: a client flooding faster than we answer must not keep us alive. */
    private static final long FINAL_DRAIN_NANOS = Duration.ofSeconds(2).toNanos();

    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey key;
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
    private final Counter loopGuarded = new Counter();
    private final Counter oversized = new Counter();
    private final Counter sendFailures = new Counter();
    private final Counter rateLimited = new Counter();
    /** Null when there is no limit, so the common case costs one null check. */
    private final SourceRateLimit rateLimit;

    private final RateLimitedLog loopGuardLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog oversizedLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog sendFailureLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog receiveFailureLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);
    private final RateLimitedLog rateLimitLog = new RateLimitedLog(LOG, Level.WARNING, LOG_INTERVAL);

    private volatile boolean stopping;
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();

    ReplyLoop(DatagramChannel channel, Selector selector, SelectionKey key, UdpServerConfig config, int ownPort) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.transform = config.transform();
        this.ownPort = ownPort;
        this.rateLimit = config.rateLimit() == UdpServerConfig.NO_RATE_LIMIT
                ? null
                : new SourceRateLimit(config.rateLimit(), SourceRateLimit.DEFAULT_MAX_SOURCES);
        // Sized for the largest datagram we can receive, not the largest we may send: an IPv6
        // datagram can carry 65,527 bytes, and a transform can also shrink text (U+0131 to I).
        this.out = new byte[Datagrams.RECEIVE_CAPACITY * transform.maxExpansion()];
        this.outBuffer = ByteBuffer.wrap(out);
    }

    /** Asks the loop to answer what is queued and end; returns at once. */
    void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Completes with the cause if the loop ends without being asked to. */
    CompletableFuture<Throwable> broken() {
        return broken;
    }

    UdpStats stats() {
        return new UdpStats(
                received.get(),
                repliesSent.get(),
                bytesIn.get(),
                bytesOut.get(),
                loopGuarded.get(),
                oversized.get(),
                sendFailures.get(),
                rateLimited.get());
    }

    @Override
    public void run() {
        try {
            for (;;) {
                // Read the flag before draining: everything queued when stop() was called is
                // then answered by this pass, and a wakeup() that lands during the pass makes
                // the select() below return at once, so no datagram waits and none is lost.
                boolean last = stopping;
                drain(last);
                if (last) {
                    return;
                }
                if (stopping) {
                    continue; // stop() came during the pass; its wakeup may have ended a wait for send space
                }
                selector.select();
                selector.selectedKeys().clear();
            }
        } catch (ClosedChannelException e) {
            LOG.log(Level.ERROR, "udp socket closed under the server", e);
            broken.complete(e);
        } catch (IOException | RuntimeException | Error e) {
            LOG.log(Level.ERROR, "udp server stopped by an unexpected error", e);
            broken.complete(e);
        } finally {
            closeQuietly();
        }
    }

    /** Receives and answers until the socket queue is empty (or the last pass runs out of time). */
    private void drain(boolean last) throws ClosedChannelException {
        long deadline = last ? System.nanoTime() + FINAL_DRAIN_NANOS : 0;
        for (;;) {
            if (last && System.nanoTime() - deadline > 0) {
                LOG.log(Level.WARNING, "stopping with datagrams still queued: they arrive faster than they are answered");
                return;
            }
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
                LOG.log(Level.DEBUG, "an earlier reply met a closed port");
                continue;
            } catch (IOException e) {
                // A socket error is cleared once reported, so it cannot repeat without cause.
                receiveFailureLog.log("receive failed: " + e);
                continue;
            }
            if (from == null) {
                return;
            }
            try {
                answer(from, inBuffer.position());
            } catch (RuntimeException e) {
                // A bug must cost one datagram, not the service.
                failureLog.log("datagram from " + SocketAddresses.format(from) + " not answered: " + e);
                LOG.log(Level.DEBUG, "datagram not answered", e);
            }
        }
    }

    private void answer(InetSocketAddress from, int length) {
        received.increment();
        bytesIn.add(length);
        int port = from.getPort();
        if (LoopGuard.refuses(port, ownPort)) {
            loopGuarded.increment();
            loopGuardLog.log("no reply to " + SocketAddresses.format(from)
                    + ": a datagram from port " + port + " may come from a server that answers every datagram (loop guard)");
            return;
        }
        if (rateLimit != null && !rateLimit.allow(from.getAddress(), System.nanoTime())) {
            rateLimited.increment();
            rateLimitLog.log("no reply to " + SocketAddresses.format(from) + ": over --udp-rate-limit for its address");
            return;
        }
        if (length == in.length) {
            oversized.increment();
            oversizedLog.log("no reply to " + SocketAddresses.format(from) + ": datagram larger than "
                    + Datagrams.RECEIVE_CAPACITY + " bytes was cut");
            return;
        }
        int replyLength = transform.apply(in, 0, length, out, 0);
        if (replyLength > Datagrams.MAX_PAYLOAD) {
            oversized.increment();
            oversizedLog.log("no reply to " + SocketAddresses.format(from) + ": " + length + " bytes become "
                    + replyLength + "; a UDP datagram holds at most " + Datagrams.MAX_PAYLOAD);
            return;
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "{0}: {1} bytes in, {2} out", SocketAddresses.format(from), length, replyLength);
        }
        send(from, replyLength);
    }

    private void send(InetSocketAddress to, int length) {
        outBuffer.clear().limit(length);
        try {
            // A datagram is sent whole or not at all: 0 means the socket send buffer is full
            // (EAGAIN), and the same reply goes again once there is room. An empty reply also
            // returns 0 when sent; the two cannot be told apart, so it counts as sent.
            if (channel.send(outBuffer, to) == 0 && length > 0 && !sendWhenWritable(to)) {
                sendFailures.increment();
                sendFailureLog.log("no reply to " + SocketAddresses.format(to) + ": the send buffer stayed full");
                return;
            }
            repliesSent.increment();
            bytesOut.add(length);
        } catch (IOException e) {
            sendFailures.increment();
            sendFailureLog.log("no reply to " + SocketAddresses.format(to) + ": " + e);
        }
    }

    /** Sends {@code outBuffer} again each time there is room; false if it never went within the stall limit. */
    private boolean sendWhenWritable(InetSocketAddress to) throws IOException {
        long deadline = System.nanoTime() + SEND_STALL_NANOS;
        do {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            awaitWritable(left);
        } while (channel.send(outBuffer, to) == 0);
        return true;
    }

    /** Waits for send-buffer space only: reading more now would only queue more replies. */
    private void awaitWritable(long nanos) throws IOException {
        key.interestOps(SelectionKey.OP_WRITE);
        try {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            selector.selectedKeys().clear();
        } finally {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the udp socket failed", e);
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the selector failed", e);
        }
    }
}
