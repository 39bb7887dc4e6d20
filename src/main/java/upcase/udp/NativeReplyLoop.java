package upcase.udp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import upcase.nativeio.DatagramBatch;
import upcase.nativeio.NativeDatagramSocket;
import upcase.nativeio.SystemCallException;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;

/**
 * The native engine's serving thread: one {@code recvmmsg} takes every datagram queued (up to
 * {@link #BATCH}), each is answered by the same {@link DatagramAnswerer} as on NIO, and one
 * {@code sendmmsg} sends the batch's replies, each from the local address its request arrived
 * on (IP_PKTINFO, for a wildcard bind). Under load that is two system calls per batch instead
 * of two per datagram; a client that waits for each reply still costs two per datagram, as on NIO.
 *
 * <p>Batches fill only when datagrams queue while the thread works. A server faster than its
 * clients would otherwise wake for every one or two datagrams, and each wake-up costs a receive,
 * a send and a context switch. So after a batch of several (several clients at once, as
 * {@link SpinRule} judges) the thread waits on its CPU for --udp-spin before it receives again: the replies of
 * that batch are already sent, and what arrives meanwhile comes in the next batch. A small
 * batch (a client waiting for each reply, or a quiet server) goes straight back to the blocking
 * receive, and a spin that brought few is not repeated for a while, so a few clients waiting for
 * their replies rarely wait for a spin.
 *
 * <p>Stopping: {@code shutdown(SHUT_RD)} on the socket (by {@link #stop}, from the closing
 * thread) wakes the blocked receive once the queue is empty and not before, so every datagram
 * queued before the stop is answered, then the receive reports the end and the loop ends. A flood
 * that never lets the queue empty ends at {@link ReplyLoop#FINAL_DRAIN_NANOS}.
 *
 * <p>Owns the socket and the batch's native memory (a confined arena) from the moment its thread
 * starts, and releases both when it ends.
 */
final class NativeReplyLoop implements ServingLoop {
    private static final Logger LOG = System.getLogger("upcase.udp");
    /**
     * Datagrams per system call. Each slot holds a whole datagram (64 KiB, since one must never
     * be cut), so a batch is 2 MiB of native memory per thread; at 32 the calls per datagram
     * are already 1/16 when batches fill, and batches fill only under load.
     */
    static final int BATCH = 32;

    private final NativeDatagramSocket socket;
    private final boolean packetInfo;
    private final DatagramAnswerer answerer;
    /** --udp-spin; 0 = never. */
    private final long spinNanos;
    /** Whether a batch is worth a spin; the serving thread's. */
    private final SpinRule spinRule = new SpinRule();
    private final SendCounts sends = new SendCounts();
    private final RateLimitedLog receiveFailureLog = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
    private volatile boolean stopping;
    private volatile long stopDeadline;
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();

    /**
     * @param socket bound; this loop owns it from here on
     * @param packetInfo the socket reports each datagram's local address (a wildcard bind)
     * @param rateLimit the server's, shared by its threads; null when there is none
     */
    NativeReplyLoop(NativeDatagramSocket socket, boolean packetInfo, UdpServerConfig config, int ownPort,
            SourceRateLimit rateLimit) {
        this.socket = socket;
        this.packetInfo = packetInfo;
        this.answerer = new DatagramAnswerer(config, ownPort, rateLimit, null);
        this.spinNanos = config.spin().toNanos();
    }

    @Override
    public void stop() {
        stopDeadline = System.nanoTime() + ReplyLoop.FINAL_DRAIN_NANOS;
        stopping = true;
        socket.shutdownInput();
    }

    @Override
    public void nudge() {
        // Nothing to repeat: a shutdown, unlike a marker datagram, cannot be lost.
    }

    @Override
    public void forceClose() {
        // Closing the descriptor under a thread blocked on it could reach another socket that
        // reused the number; the loop ends by its own deadline check after the batch in hand.
        socket.shutdownInput();
    }

    @Override
    public UdpStats stats() {
        return answerer.stats(List.of(sends));
    }

    @Override
    public CompletableFuture<Throwable> broken() {
        return broken;
    }

    @Override
    public void run() {
        try (Arena arena = Arena.ofConfined()) {
            serve(new DatagramBatch(arena, BATCH, Datagrams.RECEIVE_CAPACITY, packetInfo));
        } catch (IOException | RuntimeException | Error e) {
            LogEvent.of(Event.SERVER_BROKE, "udp server stopped by an unexpected error", field("protocol", "udp"))
                    .causedBy(e).log(LOG, Level.ERROR);
            broken.complete(e);
        } finally {
            socket.close();
        }
    }

    /** Receives and answers until the end of input after stop(), or the drain deadline passes. */
    private void serve(DatagramBatch batch) throws IOException {
        SlotSource source = new SlotSource(batch);
        for (;;) {
            int count;
            try {
                count = socket.receive(batch);
            } catch (SystemCallException e) {
                if (e.socketUnusable()) {
                    throw e;
                }
                // A socket error is cleared once reported, so it cannot repeat without cause.
                receiveFailureLog.log(() -> LogEvent.of(Event.RECEIVE_FAILED, "receive failed: " + e,
                        field("protocol", "udp"), field("detail", e.toString())));
                continue;
            }
            boolean end = false;
            for (int i = 0; i < count; i++) {
                if (batch.endOfInput(i)) {
                    end = true; // the queue was empty after shutdown: nothing follows
                    break;
                }
                answer(batch, i, source);
            }
            if (batch.queued() > 0) {
                socket.send(batch);
                countSends(batch);
            }
            if (end) {
                if (!stopping) {
                    throw new IOException("the socket was shut down under the server");
                }
                return; // every datagram queued before stop() has been answered
            }
            if (stopping && System.nanoTime() - stopDeadline > 0) {
                LogEvent.of(Event.DRAIN_CUT, "stopping with datagrams still queued: they arrive faster than they are answered",
                        field("protocol", "udp")).log(LOG, Level.WARNING);
                return;
            }
            if (spinNanos > 0 && spinRule.spinAfter(count)) {
                spin();
            }
        }
    }

    /**
     * Waits --udp-spin without a system call (System.nanoTime is a vDSO read), so that the next
     * receive finds a batch queued rather than sleeping for the first datagram. A stop ends it
     * early: the drain must not wait for a spin.
     */
    private void spin() {
        long until = System.nanoTime() + spinNanos;
        while (System.nanoTime() - until < 0 && !stopping) {
            Thread.onSpinWait();
        }
    }

    private void answer(DatagramBatch batch, int i, SlotSource source) {
        source.slot = i;
        try {
            int length = batch.copyPayload(i, answerer.in());
            int replyLength = answerer.answer(batch.sourcePort(i), source, length, batch.truncated(i));
            if (replyLength != DatagramAnswerer.NO_REPLY) {
                batch.queueReply(i, answerer.out(), replyLength);
            }
        } catch (RuntimeException e) {
            InetSocketAddress from = null;
            try {
                from = batch.source(i);
            } catch (RuntimeException unreadable) {
                e.addSuppressed(unreadable); // the kernel's address itself was the fault
            }
            answerer.failed(from, e);
        }
    }

    /**
     * The source of the datagram being answered, decoded from its slot only when the answerer
     * asks (a drop, a limit, a log line): one per loop, so an ordinary datagram allocates nothing.
     * The serving thread's alone.
     */
    private static final class SlotSource implements Supplier<InetSocketAddress> {
        private final DatagramBatch batch;
        private int slot;

        SlotSource(DatagramBatch batch) {
            this.batch = batch;
        }

        @Override
        public InetSocketAddress get() {
            return batch.source(slot);
        }
    }

    /** A refused reply (no buffer space, no route, its local address gone) costs that reply, never the server. */
    private void countSends(DatagramBatch batch) {
        for (int k = 0; k < batch.queued(); k++) {
            int errno = batch.replyErrno(k);
            if (errno == 0) {
                sends.sent(batch.replyLength(k));
            } else {
                sends.failed(batch.source(batch.replySlot(k)), batch.replyLength(k), SystemCallException.describe(errno));
            }
        }
    }
}
