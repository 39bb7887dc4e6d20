package upcase.tcp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import upcase.nativeio.EventFd;
import upcase.nativeio.IoUring;
import upcase.nativeio.ProvidedBuffers;
import upcase.nativeio.StreamSockets;
import upcase.nativeio.SystemCallException;
import upcase.net.Event;
import upcase.net.LogEvent;

/**
 * The io_uring engine's poller: a ring of the loop's own, completions under the readiness-shaped
 * {@link Poller} interface so that {@link EventLoop} and {@link Connection} run unchanged.
 *
 * <p>One io_uring_enter per loop turn submits everything the last turn prepared (receives
 * re-armed, sends, cancels) and waits for completions; the completions are then handled
 * (buffers queued on their wires, sends finished, connections accepted), and last the
 * connections with something to report are told, as level-triggered epoll would: one that
 * still has bytes queued after its turn stays listed, and the next wait does not block.
 *
 * <p>user_data: the op kind in the top byte ({@link #RECV}, {@link #SEND}, {@link #ACCEPT},
 * {@link #WAKE}, {@link #CANCEL}) and, for a connection, its token in {@link ConnectionSlots}
 * (slot and generation); a completion whose token is stale is dropped (its buffer given back),
 * although a slot is only freed once its wire's last request has completed (UringWire's close).
 *
 * <p>Accepting: one multishot accept per listener on this ring (all loops share the listening
 * socket; the kernel hands each connection to one of them). EMFILE and ENFILE end it: the loop's
 * backoff pauses, then {@link #resumeAccepting} arms it again; pausing and stopping cancel it.
 *
 * <p>Memory, all in the confined arena {@link #start} opens on the loop thread and
 * {@link #close} closes there: the rings, {@link #BUFFERS} receive buffers of
 * {@link #BUFFER_BYTES}, and the send buffers, pooled in two sizes and lent to a wire only while
 * it has unsent bytes.
 */
final class UringPoller implements Poller {
    private static final Logger LOG = System.getLogger("upcase.tcp");
    private static final int SUBMISSIONS = 4_096;
    /** Room for a receive and a send completion of every connection of a busy turn at 10,000 connections. */
    private static final int COMPLETIONS = 32_768;
    /** Receive buffers per loop: 8 MiB. A buffer comes back as soon as its bytes are read. */
    static final int BUFFERS = 512;
    static final int BUFFER_BYTES = 16 * 1024;
    /** Send buffers: a line's reply fits the small one; a whole read's reply (EventLoop's 64 KiB, expanded) the large. */
    static final int SMALL_SEND = 4 * 1024;
    static final int LARGE_SEND = 256 * 1024;
    /** How long a closed connection's last send may take before it is cancelled: a client that never reads. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long the loop's end waits for the kernel to finish cancelled requests. */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    static final long RECV = 1L << 56;
    static final long SEND = 2L << 56;
    static final long ACCEPT = 3L << 56;
    static final long WAKE = 4L << 56;
    static final long CANCEL = 5L << 56;
    private static final long TOKEN = (1L << 56) - 1;
    /** The peer of a connection reset between its accept and getpeername: served (and counted) until its first read meets the reset. */
    private static final InetSocketAddress GONE = new InetSocketAddress(0);

    private final EventLoop loop;
    private final List<NativeListener> listeners = new ArrayList<>();
    private final boolean[] acceptArmed;
    /** Per listener: descriptors accepted and not yet taken by the loop, and a failure to report. */
    private final List<ArrayDeque<Integer>> acceptedFds = new ArrayList<>();
    private final IOException[] acceptFailures;
    private final EventFd wake;
    private final AtomicBoolean woken = new AtomicBoolean();
    private final ConnectionSlots<UringWire> slots = new ConnectionSlots<>();
    private final ArrayDeque<UringWire> ready = new ArrayDeque<>();
    private final ArrayDeque<UringWire> starved = new ArrayDeque<>();
    private final ArrayDeque<UringWire> lingering = new ArrayDeque<>();
    private final ArrayDeque<MemorySegment> smallSends = new ArrayDeque<>();
    private final ArrayDeque<MemorySegment> largeSends = new ArrayDeque<>();
    private Arena arena;
    private IoUring ring;
    private ProvidedBuffers buffers;
    private StreamSockets sockets;
    private boolean accepting;
    private boolean stopped;
    private boolean closed;

    UringPoller(EventLoop loop, List<Listener> listeners) throws IOException {
        this.loop = loop;
        for (Listener l : listeners) {
            this.listeners.add((NativeListener) l);
            this.acceptedFds.add(new ArrayDeque<>());
        }
        this.acceptArmed = new boolean[listeners.size()];
        this.acceptFailures = new IOException[listeners.size()];
        this.wake = EventFd.open();
    }

    /** On the loop thread: the ring is bound to the thread that creates it (IORING_SETUP_SINGLE_ISSUER). */
    @Override
    public void start() throws IOException {
        arena = Arena.ofConfined();
        ring = IoUring.open(arena, SUBMISSIONS, COMPLETIONS);
        buffers = new ProvidedBuffers(ring, arena, 0, BUFFERS, BUFFER_BYTES);
        sockets = new StreamSockets(arena, 64);
        wake.enter(arena);
        ring.pollAdd(wake.fd(), IoUring.POLLIN, true, WAKE);
        preload();
        resumeAccepting();
    }

    /**
     * The classes a connection's admission uses, loaded and initialized now, while files can be
     * opened: a multishot accept takes every connection queued in one go, descriptors included,
     * so the loop may admit its first connection with none left (EMFILE), where loading a class
     * from a class directory fails (found by FaultsTest on this engine; EventLoop does the same
     * for the classes of every engine).
     */
    private void preload() {
        ClassLoader loader = UringPoller.class.getClassLoader();
        try {
            for (Class<?> c : List.of(UringWire.class, Connection.class, ProxyPreamble.class, ConnectionFaults.class)) {
                Class.forName(c.getName(), true, loader);
                for (Class<?> nested : c.getDeclaredClasses()) {
                    Class.forName(nested.getName(), true, loader);
                }
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        connections(); // its lambda's class, likewise
    }

    IoUring ring() {
        return ring;
    }

    ProvidedBuffers buffers() {
        return buffers;
    }

    StreamSockets sockets() {
        return sockets;
    }

    @Override
    public void poll(long timeoutMillis) throws IOException {
        if (!starved.isEmpty() && buffers.lent() < BUFFERS) {
            rearmStarved();
        }
        if (!lingering.isEmpty()) {
            expireLingering(System.nanoTime());
        }
        ring.submitAndWait(ready.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0);
        int n = ring.completions();
        for (int i = 0; i < n; i++) {
            complete(ring.userData(i), ring.result(i), ring.flags(i));
        }
        ring.consumed(n);
        reportReady();
    }

    private void complete(long userData, int result, int flags) throws IOException {
        long kind = userData & ~TOKEN;
        long token = userData & TOKEN;
        if (kind == RECV || kind == SEND) {
            UringWire wire = slots.live(token);
            if (wire == null) {
                stale(kind, result, flags);
            } else if (kind == RECV) {
                wire.received(result, flags);
            } else {
                wire.sent(result);
            }
        } else if (kind == ACCEPT) {
            accepted((int) token, result, flags);
        } else if (kind == WAKE) {
            woken.set(false); // before the read: a wake after it is not lost
            wake.clear();
            if ((flags & IoUring.CQE_F_MORE) == 0 && !closed) {
                ring.pollAdd(wake.fd(), IoUring.POLLIN, true, WAKE);
            }
        } else if (kind != CANCEL) {
            throw new IllegalStateException("a completion of unknown kind: user_data " + Long.toHexString(userData));
        }
        // CANCEL: the cancelled request reports for itself; the cancel's own result (0,
        // ENOENT when it had finished, EALREADY when it was finishing) changes nothing.
    }

    /** A completion for a slot freed since: a bug if it ever comes, but never one that reaches another connection. */
    private void stale(long kind, int result, int flags) {
        if (kind == RECV && result > 0 && (flags & IoUring.CQE_F_BUFFER) != 0) {
            buffers.recycle(buffers.take(flags, result));
        }
        LogEvent.of(Event.CLOSE_FAILED, "a completion for a closed connection", field("what", "connection"),
                field("detail", (kind == RECV ? "recv " : "send ") + result)).log(LOG, Level.DEBUG);
    }

    private void accepted(int index, int result, int flags) throws IOException {
        if (index < 0 || index >= listeners.size()) {
            throw new IllegalStateException("an accept completion for listener " + index + " of " + listeners.size());
        }
        if ((flags & IoUring.CQE_F_MORE) == 0) {
            acceptArmed[index] = false;
        }
        if (result >= 0) {
            if (stopped) {
                sockets.close(result); // accepted as the cancel came: the server no longer serves
            } else {
                acceptedFds.get(index).add(result);
                loop.accept(listeners.get(index));
            }
        } else if (result == -IoUring.EMFILE || result == -23 || result == -12 || result == -IoUring.ENOBUFS) {
            // Out of descriptors (EMFILE, ENFILE) or memory: the loop's backoff, then resumeAccepting.
            acceptFailures[index] = SystemCallException.of("accept", -result);
            loop.accept(listeners.get(index));
        } else if (result != -IoUring.ECANCELED) {
            LogEvent.of(Event.ACCEPT_FAILED, "accept failed: " + SystemCallException.describe(-result),
                    field("protocol", "tcp"), field("detail", SystemCallException.describe(-result))).log(LOG, Level.DEBUG);
        }
        if (!acceptArmed[index] && accepting) {
            armAccept(index);
        }
    }

    /**
     * The connections with something to tell, each once: readable while read is its interest and
     * bytes, the end or an error are queued; writable while write is and its send buffer has
     * room. One that still has something after its turn stays listed for the next.
     */
    private void reportReady() {
        for (int i = ready.size(); i > 0; i--) {
            UringWire wire = ready.pollFirst();
            wire.listed = false;
            if (wire.isClosed()) {
                continue;
            }
            boolean readable = wire.readable();
            boolean writable = wire.writable();
            if (readable || writable) {
                loop.ready(wire.connection(), writable, readable);
                if (!wire.isClosed() && (wire.readable() || wire.writable())) {
                    listReady(wire);
                }
            }
        }
    }

    /** From a wire: it may have something to report at the end of this turn. */
    void listReady(UringWire wire) {
        if (!wire.listed && wire.connection() != null) {
            wire.listed = true;
            ready.addLast(wire);
        }
    }

    /** From a wire whose receive ended with ENOBUFS: armed again once buffers come back. */
    void starved(UringWire wire) {
        if (!wire.starved) {
            wire.starved = true;
            starved.addLast(wire);
        }
    }

    private void rearmStarved() throws IOException {
        for (int i = starved.size(); i > 0; i--) {
            starved.pollFirst().rearm();
        }
    }

    /** From a wire closed with a send in flight: it is cancelled after {@link #LINGER_NANOS}. */
    void lingering(UringWire wire) {
        lingering.addLast(wire);
    }

    private void expireLingering(long now) throws IOException {
        UringWire wire;
        while ((wire = lingering.peekFirst()) != null) {
            if (wire.sending() && now - wire.closedAt < LINGER_NANOS) {
                return;
            }
            lingering.pollFirst();
            if (wire.sending()) {
                ring.cancel(SEND | wire.token(), CANCEL | wire.token());
            }
        }
    }

    /** A send buffer with room for {@code bytes}, or the large one. */
    MemorySegment sendBuffer(int bytes) {
        if (bytes <= SMALL_SEND) {
            MemorySegment b = smallSends.pollFirst();
            return b != null ? b : arena.allocate(SMALL_SEND, 64);
        }
        MemorySegment b = largeSends.pollFirst();
        return b != null ? b : arena.allocate(LARGE_SEND, 64);
    }

    void giveBack(MemorySegment buffer) {
        (buffer.byteSize() == SMALL_SEND ? smallSends : largeSends).addFirst(buffer);
    }

    @Override
    public void wakeup() {
        if (woken.compareAndSet(false, true)) {
            wake.wake();
        }
    }

    @Override
    public Wire accept(Listener listener) throws IOException {
        int index = listeners.indexOf(listener);
        ArrayDeque<Integer> fds = acceptedFds.get(index);
        Integer fd = fds.pollFirst();
        if (fd != null) {
            InetSocketAddress peer = sockets.accepted(fd);
            return new UringWire(this, fd, peer == null ? GONE : peer);
        }
        IOException failure = acceptFailures[index];
        if (failure != null) {
            acceptFailures[index] = null;
            throw failure;
        }
        return null;
    }

    @Override
    public void register(Wire wire, Connection c) throws IOException {
        UringWire w = (UringWire) wire;
        w.registered(c, slots.add(w));
        try {
            w.interestRead();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** From {@link UringWire}'s last completion: its descriptor is closed. */
    void released(long token) {
        slots.release(token);
    }

    private void armAccept(int index) throws IOException {
        ring.acceptMultishot(listeners.get(index).socket().fd(), ACCEPT | index);
        acceptArmed[index] = true;
    }

    @Override
    public void pauseAccepting() {
        if (!accepting) {
            return;
        }
        accepting = false;
        try {
            for (int i = 0; i < listeners.size(); i++) {
                if (acceptArmed[i]) {
                    ring.cancel(ACCEPT | i, CANCEL);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void resumeAccepting() {
        if (accepting || stopped) {
            return;
        }
        accepting = true;
        try {
            for (int i = 0; i < listeners.size(); i++) {
                if (!acceptArmed[i]) {
                    armAccept(i); // one still armed (its cancel in flight) is armed again by its last completion
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * For good: the cancels are submitted now, so that the ring lets go of the listening sockets
     * before the server closes them (a socket with a request in flight would stay open until it ends).
     */
    @Override
    public void stopAccepting() {
        pauseAccepting();
        stopped = true;
        for (ArrayDeque<Integer> fds : acceptedFds) {
            Integer fd;
            while ((fd = fds.pollFirst()) != null) {
                sockets.close(fd);
            }
        }
        try {
            ring.submitAndWait(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Connection> connections() {
        return slots.each(w -> w.isClosed() ? null : w.connection());
    }

    /**
     * The connections are closed by now, but their last requests may still be in flight: every
     * one is cancelled and waited for (up to {@link #CLOSE_WAIT_NANOS}), so that each descriptor
     * is closed after the kernel is done with it; then the ring, the eventfd and the arena go.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (ring != null) {
                drainRequests();
            }
        } catch (IOException | RuntimeException e) {
            LogEvent.of(Event.CLOSE_FAILED, "io_uring requests outlived the loop: " + e.getMessage(),
                    field("what", "io_uring"), field("detail", String.valueOf(e.getMessage()))).log(LOG, Level.WARNING);
        } finally {
            for (UringWire wire : slots.each(w -> w)) {
                wire.abandon(); // the ring's close cancels what is left
            }
            if (ring != null) {
                ring.close();
            }
            wake.close();
            if (arena != null) {
                arena.close();
                arena = null;
            }
        }
    }

    private void drainRequests() throws IOException {
        stopped = true;
        accepting = false;
        for (int i = 0; i < listeners.size(); i++) {
            if (acceptArmed[i]) {
                ring.cancel(ACCEPT | i, CANCEL);
            }
        }
        for (UringWire wire : slots.each(w -> w)) {
            if (!wire.isClosed()) {
                LogEvent.of(Event.CLOSE_FAILED, "a connection outlived its loop", field("what", "connection"),
                        field("detail", "still registered at the loop's end")).log(LOG, Level.WARNING);
                wire.close();
            }
            ring.cancelAll(wire.fd(), CANCEL);
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (!slots.each(w -> w).isEmpty() && System.nanoTime() - deadline < 0) {
            ring.submitAndWait(TimeUnit.MILLISECONDS.toNanos(50));
            int n = ring.completions();
            for (int i = 0; i < n; i++) {
                complete(ring.userData(i), ring.result(i), ring.flags(i));
            }
            ring.consumed(n);
        }
    }
}
