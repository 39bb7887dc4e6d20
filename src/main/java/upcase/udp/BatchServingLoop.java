package upcase.udp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import upcase.nativeio.DatagramSlots;
import upcase.nativeio.NativeDatagramSocket;
import upcase.nativeio.SystemCallException;
import upcase.net.Engine;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;
import upcase.net.StartSignal;

/**
 * What the native engines' serving threads share, whichever system calls move their datagrams
 * (recvmmsg and sendmmsg in {@link NativeReplyLoop}, an io_uring in {@link UringReplyLoop}):
 * each datagram answered by a {@link DatagramAnswerer} from the slot the engine holds it in, a
 * failure that costs that datagram only, the replies' counters, the spin rule, the stop and its
 * drain deadline, and the thread's end, which closes the socket after the engine's memory.
 *
 * <p>{@link #run} and everything it calls are the serving thread's; {@link #stop},
 * {@link #forceClose}, {@link #stats} and {@link #broken} the closing thread's.
 */
abstract class BatchServingLoop implements ServingLoop, Supplier<InetSocketAddress> {
    static final Logger LOG = System.getLogger("upcase.udp");

    final NativeDatagramSocket socket;
    final boolean packetInfo;
    final DatagramAnswerer answerer;
    /** Where the engine holds the datagrams being answered: the serving thread's, set by {@link #serve}. */
    DatagramSlots slots;
    final SendCounts sends = new SendCounts();
    /** --udp-spin in nanoseconds; 0 = never. */
    final long spinNanos;
    /** Whether a batch is worth a spin (or a wait for a fuller one); the serving thread's. */
    final SpinRule spinRule = new SpinRule();
    private final RateLimitedLog receiveFailureLog = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
    private volatile boolean stopping;
    private volatile long stopDeadline;
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();
    /** Signalled by {@link #serve} once its memory (and ring) are set up; UdpServer.start waits for it. */
    private final StartSignal started = new StartSignal();
    /** The slot being answered, for {@link #get}: so an ordinary datagram's source is never decoded. */
    private int current;

    /**
     * @param socket bound; this loop owns it from here on, and closes it when its thread ends
     * @param packetInfo the socket reports each datagram's local address (a wildcard bind)
     * @param rateLimit the server's, shared by its threads; null when there is none
     */
    BatchServingLoop(NativeDatagramSocket socket, boolean packetInfo, UdpServerConfig config, int ownPort,
            SourceRateLimit rateLimit) {
        this.socket = socket;
        this.packetInfo = packetInfo;
        this.answerer = new DatagramAnswerer(config, ownPort, rateLimit, null);
        this.spinNanos = config.spin().toNanos();
    }

    /**
     * Serves until the end of input after {@link #stop}, or the drain deadline; the arena and the
     * engine's memory live inside, and {@link #slots} is set to the engine's before the first
     * datagram, and {@link #serving} called then.
     */
    abstract void serve() throws IOException;

    /** From {@link #serve}, once set up: the server's start returns. */
    final void serving() {
        started.started();
    }

    /** The engine this loop is, for its start failure's line. */
    abstract Engine engine();

    @Override
    public final void awaitStarted() throws IOException {
        started.await("cannot start udp engine " + engine().label());
    }

    /**
     * From the closing thread: the socket's receiving side shut down, so that the serving
     * thread learns of the stop once the datagrams queued before it are taken.
     */
    private void wakeForStop() {
        socket.shutdownInput();
    }

    @Override
    public final void stop() {
        stopDeadline = System.nanoTime() + ReplyLoop.FINAL_DRAIN_NANOS;
        stopping = true;
        wakeForStop();
    }

    @Override
    public final void nudge() {
        // Nothing to repeat: a shutdown, unlike a marker datagram, cannot be lost.
    }

    @Override
    public final void forceClose() {
        // Closing the descriptor under a thread that uses it could reach another socket that
        // reused the number; the loop ends by its own deadline check after the batch in hand.
        wakeForStop();
    }

    @Override
    public final UdpStats stats() {
        return answerer.stats(List.of(sends));
    }

    @Override
    public final CompletableFuture<Throwable> broken() {
        return broken;
    }

    @Override
    public final void run() {
        try {
            serve();
        } catch (IOException | RuntimeException | Error e) {
            if (started.failed(e)) {
                return; // not set up: UdpServer.start reports it (the socket is closed below)
            }
            LogEvent.of(Event.SERVER_BROKE, "udp server stopped by an unexpected error", field("protocol", "udp"))
                    .causedBy(e).log(LOG, Level.ERROR);
            broken.complete(e);
        } finally {
            started.started(); // a serve() that ended before it served (it was stopped at once) is no failure
            socket.close();
        }
    }

    final boolean stopping() {
        return stopping;
    }

    /** The end of input came: normal after stop(), else someone shut the socket down under the server. */
    final void endOfInput() throws IOException {
        if (!stopping) {
            throw new IOException("the socket was shut down under the server");
        }
    }

    /** After stop(), whether the drain deadline has passed (a flood that never lets the queue empty); logs the cut. */
    final boolean drainOverdue() {
        if (stopping && System.nanoTime() - stopDeadline > 0) {
            LogEvent.of(Event.DRAIN_CUT, "stopping with datagrams still queued: they arrive faster than they are answered",
                    field("protocol", "udp")).log(LOG, Level.WARNING);
            return true;
        }
        return false;
    }

    /** A receive failed: a socket error is cleared once reported, so it cannot repeat without cause; a broken socket ends the loop. */
    final void receiveFailed(SystemCallException e) throws SystemCallException {
        if (e.socketUnusable()) {
            throw e;
        }
        receiveFailureLog.log(() -> LogEvent.of(Event.RECEIVE_FAILED, "receive failed: " + e,
                field("protocol", "udp"), field("detail", e.toString())));
    }

    /**
     * Answers the datagram in {@code slot} into {@link DatagramAnswerer#out()}: the reply's
     * length, or {@link DatagramAnswerer#NO_REPLY}. A bug costs that datagram, not the thread.
     */
    final int answer(int slot) {
        current = slot;
        try {
            int length = slots.copyPayload(slot, answerer.in());
            return answerer.answer(slots.sourcePort(slot), this, length, slots.truncated(slot));
        } catch (RuntimeException e) {
            failed(slot, e);
            return DatagramAnswerer.NO_REPLY;
        }
    }

    /** Datagram {@code slot} could not be answered: counted and logged with its source, if that can be read. */
    final void failed(int slot, RuntimeException e) {
        InetSocketAddress from = null;
        try {
            from = slots.source(slot);
        } catch (RuntimeException unreadable) {
            e.addSuppressed(unreadable); // the kernel's address itself was the fault
        }
        answerer.failed(from, e);
    }

    /** The reply in {@code slot} went out ({@code errno} 0) or was refused: no buffer space, no route, its local address gone. */
    final void countSend(int slot, int length, int errno) {
        if (errno == 0) {
            sends.sent(length);
        } else {
            sends.failed(slots.source(slot), length, SystemCallException.describe(errno));
        }
    }

    /** The source of the datagram being answered, for the answerer, which asks only for a drop, a limit or a log line. */
    @Override
    public final InetSocketAddress get() {
        return slots.source(current);
    }
}
