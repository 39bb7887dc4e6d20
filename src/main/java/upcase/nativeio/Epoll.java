package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * One epoll instance and the eventfd that wakes it, for one event-loop thread of the TCP server.
 * Every registration carries a 64-bit token chosen by the caller (epoll_data), never the
 * descriptor: the caller can then tell a stale event (for a connection closed earlier in the same
 * batch, whose descriptor number the kernel may already have given to a new one) from a live one.
 *
 * <p>Threads: {@link #open} on any thread (descriptors only); {@link #enter} then every call
 * but {@link #wake} and {@link #close} on the loop thread, whose confined arena holds the event
 * array. {@link #wake} may come from any thread at any time, even after the loop ended: it and
 * {@link #close} hold the {@link EventFd}'s lock, and a wake after the close does nothing, so no
 * write ever reaches an eventfd number reused since.
 *
 * <p>Level-triggered, on purpose: the connection code reads at most a few buffers per event so
 * that one busy client cannot hold the loop, and leaves the rest in the socket; an edge-triggered
 * registration would then never report that rest again. Level-triggered is also what the JDK's
 * selector does, so both engines drive the same state machine the same way.
 */
public final class Epoll implements AutoCloseable {
    /** The token of the wake-up eventfd; connection and listener tokens are never negative. */
    public static final long WAKE = -1L;
    public static final int IN = 0x1;
    public static final int OUT = 0x4;
    public static final int ERR = 0x8;
    public static final int HUP = 0x10;
    /** Wake one of the epoll instances waiting on a shared listening socket, not all (Linux 4.5). */
    private static final int EXCLUSIVE = 1 << 28;

    /**
     * struct epoll_event { uint32_t events; epoll_data_t data; }: packed on x86_64 (12 bytes,
     * data at 4), naturally aligned elsewhere (16 bytes, data at 8).
     */
    private static final boolean PACKED = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };
    private static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA = PACKED ? 4 : 8;

    private final int epfd;
    private final EventFd eventfd;
    private boolean closed;
    private int capacity;
    private MemorySegment events;
    private MemorySegment event;
    private MemorySegment callState;

    private Epoll(int epfd, EventFd eventfd) {
        this.epfd = epfd;
        this.eventfd = eventfd;
    }

    /** An epoll instance with its wake-up eventfd registered; from any thread. */
    public static Epoll open() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int epfd = (int) Libc.EPOLL_CREATE1.invokeExact(state, Libc.EPOLL_CLOEXEC);
            if (epfd < 0) {
                throw new SystemCallException("epoll_create1", Libc.errno(state));
            }
            EventFd eventfd;
            try {
                eventfd = EventFd.open(state);
            } catch (Throwable e) {
                int ignored = (int) Libc.CLOSE.invokeExact(state, epfd);
                throw e;
            }
            Epoll epoll = new Epoll(epfd, eventfd);
            MemorySegment event = arena.allocate(16, 8);
            event.set(JAVA_INT_UNALIGNED, 0, IN);
            event.set(JAVA_LONG_UNALIGNED, DATA, WAKE);
            if ((int) Libc.EPOLL_CTL.invokeExact(state, epfd, Libc.EPOLL_CTL_ADD, eventfd.fd(), event) != 0) {
                int errno = Libc.errno(state);
                epoll.close();
                throw new SystemCallException("epoll_ctl", errno);
            }
            return epoll;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * On the loop thread, before anything else: the event array of {@code capacity} entries
     * and the call state, in the loop's confined {@code arena}.
     */
    public void enter(Arena arena, int capacity) {
        this.capacity = capacity;
        this.events = arena.allocate(EVENT_SIZE * capacity, 8);
        this.event = arena.allocate(16, 8);
        eventfd.enter(arena);
        this.callState = arena.allocate(Libc.CALL_STATE);
    }

    /**
     * Waits up to {@code timeoutMillis} for events; returns how many are in the array (0 after a
     * timeout or a signal). The wake-up event clears itself here and is reported with {@link #WAKE}.
     */
    public int await(int timeoutMillis) throws IOException {
        int n;
        try {
            n = (int) Libc.EPOLL_WAIT.invokeExact(callState, epfd, events, capacity, timeoutMillis);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (n < 0) {
            int errno = Libc.errno(callState);
            if (errno == Libc.EINTR) {
                return 0;
            }
            throw new SystemCallException("epoll_wait", errno);
        }
        if (n > capacity) {
            throw new IllegalStateException("epoll_wait reported " + n + " events for " + capacity + " entries");
        }
        return n;
    }

    /** The token of event {@code i} of the last {@link #await}. */
    public long token(int i) {
        return events.get(JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA);
    }

    /** The ready bits of event {@code i}: {@link #IN}, {@link #OUT}, {@link #ERR}, {@link #HUP}. */
    public int ready(int i) {
        return events.get(JAVA_INT_UNALIGNED, i * EVENT_SIZE);
    }

    /** Resets the eventfd's counter after a {@link #WAKE} event, so that it stops being ready. */
    public void clearWake() throws IOException {
        eventfd.clear();
    }

    /** Registers {@code fd} for {@code interest}, reported with {@code token}. */
    public void add(int fd, int interest, long token) throws IOException {
        control(Libc.EPOLL_CTL_ADD, fd, interest, token);
    }

    /**
     * Registers a listening socket that several loops share: the kernel wakes one of them per
     * new connection rather than every one (EPOLLEXCLUSIVE). Such a registration cannot be
     * modified, only removed and added again.
     */
    public void addShared(int fd, long token) throws IOException {
        control(Libc.EPOLL_CTL_ADD, fd, IN | EXCLUSIVE, token);
    }

    public void modify(int fd, int interest, long token) throws IOException {
        control(Libc.EPOLL_CTL_MOD, fd, interest, token);
    }

    public void remove(int fd) throws IOException {
        control(Libc.EPOLL_CTL_DEL, fd, 0, 0);
    }

    private void control(int op, int fd, int interest, long token) throws IOException {
        event.set(JAVA_INT_UNALIGNED, 0, interest);
        event.set(JAVA_LONG_UNALIGNED, DATA, token);
        int result;
        try {
            result = (int) Libc.EPOLL_CTL.invokeExact(callState, epfd, op, fd, event);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (result != 0) {
            throw new SystemCallException("epoll_ctl", Libc.errno(callState));
        }
    }

    /** Makes the loop's current or next {@link #await} return: any thread, even after {@link #close} (then nothing). */
    public void wake() {
        eventfd.wake();
    }

    /** Closes the eventfd and the epoll instance, once; the loop thread's, at its end. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            eventfd.close();
        } finally {
            SocketOptions.close(epfd);
        }
    }
}
