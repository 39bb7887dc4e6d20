package upcase.tcp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import upcase.nativeio.Epoll;
import upcase.nativeio.StreamSockets;
import upcase.net.Event;
import upcase.net.LogEvent;

/**
 * The epoll engine's poller: an epoll instance of the loop's own, its connections in a table.
 *
 * <p>Tokens: epoll reports a 64-bit token per event, never a descriptor; a connection's is its
 * place in {@link #slots} ({@link ConnectionSlots}). One epoll_wait can report a connection that
 * an earlier event of the same batch closed, and the kernel may by then have given its
 * descriptor number to a connection accepted in that batch too: the stale token is dropped, so
 * the event never reaches the new connection. Listener tokens have bit 62 set; the wake-up
 * eventfd's is {@link Epoll#WAKE}.
 *
 * <p>Memory: the event array and the buffers of the system calls live in a confined arena that
 * {@link #start} opens on the loop thread and {@link #close} closes there.
 */
final class EpollPoller implements Poller {
    private static final Logger LOG = System.getLogger("upcase.tcp");
    /**
     * Events per epoll_wait. The JDK's selector asks for at most 1,024, so with 10,000 busy
     * connections it needs ten calls where this needs three (the tail docs/PERFORMANCE.md traced
     * to it); 4,096 entries cost 48 KiB of native memory per loop.
     */
    static final int EVENTS = 4_096;
    /** The most one recv or send moves: a whole read of the loop's buffers (and TLS's) in one call. */
    private static final int IO_BYTES = 256 * 1024;
    private static final long LISTENER = 1L << 62;

    private final EventLoop loop;
    private final List<NativeListener> listeners = new ArrayList<>();
    private final Epoll epoll;
    private final AtomicBoolean woken = new AtomicBoolean();
    private Arena arena;
    private StreamSockets sockets;
    private boolean accepting;
    private boolean stopped;

    private final ConnectionSlots<NativeWire> slots = new ConnectionSlots<>();

    EpollPoller(EventLoop loop, List<Listener> listeners) throws IOException {
        this.loop = loop;
        for (Listener l : listeners) {
            this.listeners.add((NativeListener) l);
        }
        this.epoll = Epoll.open();
    }

    @Override
    public void start() throws IOException {
        arena = Arena.ofConfined();
        epoll.enter(arena, EVENTS);
        sockets = new StreamSockets(arena, IO_BYTES);
        resumeAccepting();
    }

    StreamSockets sockets() {
        return sockets;
    }

    @Override
    public void poll(long timeoutMillis) throws IOException {
        int n = epoll.await((int) Math.min(timeoutMillis, Integer.MAX_VALUE));
        for (int i = 0; i < n; i++) {
            long token = epoll.token(i);
            int ready = epoll.ready(i);
            if (token == Epoll.WAKE) {
                woken.set(false); // before the read: a wake after it is not lost
                epoll.clearWake();
            } else if ((token & LISTENER) != 0) {
                if (accepting) { // paused or stopped earlier in this batch: its event is old
                    loop.accept(listeners.get((int) (token & ~LISTENER)));
                }
            } else {
                NativeWire wire = slots.live(token);
                if (wire != null) {
                    // As the JDK's selector does: an error or hang-up makes every interest ready,
                    // so the read or write that follows meets it.
                    int interest = wire.interest();
                    boolean failed = (ready & (Epoll.ERR | Epoll.HUP)) != 0;
                    loop.ready(wire.connection(), (interest & Epoll.OUT) != 0 && (failed || (ready & Epoll.OUT) != 0),
                            (interest & Epoll.IN) != 0 && (failed || (ready & Epoll.IN) != 0));
                }
            }
        }
    }

    @Override
    public void wakeup() {
        if (woken.compareAndSet(false, true)) {
            epoll.wake();
        }
    }

    @Override
    public Wire accept(Listener listener) throws IOException {
        int fd = sockets.accept(((NativeListener) listener).socket());
        if (fd < 0) {
            return null;
        }
        long ipv4 = sockets.peerIpv4();
        return new NativeWire(this, fd, ipv4, ipv4 < 0 ? sockets.peer() : null);
    }

    @Override
    public void register(Wire wire, Connection c) throws IOException {
        NativeWire w = (NativeWire) wire;
        w.registered(c, slots.add(w));
        try {
            w.interestRead();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** From {@link NativeWire#close}: its registration is removed and its descriptor closed. */
    void released(long token) {
        slots.release(token);
    }

    Epoll epoll() {
        return epoll;
    }

    @Override
    public void pauseAccepting() {
        if (!accepting) {
            return;
        }
        accepting = false;
        for (NativeListener l : listeners) {
            try {
                epoll.remove(l.socket().fd());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void resumeAccepting() {
        if (accepting || stopped) {
            return;
        }
        for (int i = 0; i < listeners.size(); i++) {
            try {
                epoll.addShared(listeners.get(i).socket().fd(), LISTENER | i);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        accepting = true;
    }

    @Override
    public void stopAccepting() {
        pauseAccepting();
        stopped = true;
    }

    @Override
    public List<Connection> connections() {
        return slots.each(NativeWire::connection);
    }

    @Override
    public void close() {
        // Connections are closed by now (EventLoop#run); a wire left over would be a bug, and
        // closing its descriptor here is still right: this thread owns it.
        for (NativeWire wire : slots.each(w -> w)) {
            LogEvent.of(Event.CLOSE_FAILED, "a connection outlived its loop", field("what", "connection"),
                    field("detail", "still registered at the loop's end")).log(LOG, Level.WARNING);
            wire.close();
        }
        epoll.close();
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }
}
