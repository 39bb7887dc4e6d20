package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The eventfd that wakes an event loop: {@link Epoll} watches it, and so does the io_uring
 * engine (a multishot poll on it). {@link #wake} comes from any thread at any time, even after
 * the loop ended: it and {@link #close} hold this object's lock, and a wake after the close does
 * nothing, so no write ever reaches an eventfd number the kernel has given out again.
 * {@link #clear} is the loop thread's, with that thread's own call state and counter.
 */
public final class EventFd {
    private final int fd;
    private boolean closed;
    /** What {@link #wake} writes and its call state, allocated once rather than per wake; freed by {@link #close}. */
    private final Arena wakeArena = Arena.ofShared();
    private final MemorySegment wakeState = wakeArena.allocate(Libc.CALL_STATE);
    private final MemorySegment one = wakeArena.allocateFrom(JAVA_LONG, 1L);
    private MemorySegment callState;
    private MemorySegment counter;

    private EventFd(int fd) {
        this.fd = fd;
    }

    /** A non-blocking, close-on-exec eventfd; {@code state} receives errno. */
    static EventFd open(MemorySegment state) throws Throwable {
        int fd = (int) Libc.EVENTFD.invokeExact(state, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (fd < 0) {
            throw new SystemCallException("eventfd", Libc.errno(state));
        }
        return new EventFd(fd);
    }

    /** From any thread. */
    public static EventFd open() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return open(arena.allocate(Libc.CALL_STATE));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The descriptor, to watch; valid until {@link #close}. */
    public int fd() {
        return fd;
    }

    /** Makes the eventfd readable: any thread. */
    public synchronized void wake() {
        if (closed) {
            return;
        }
        try {
            // EAGAIN only if the counter were near 2^64: it is readable then anyway.
            long ignored = (long) Libc.WRITE.invokeExact(wakeState, fd, one, 8L);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** On the loop thread, before {@link #clear}: its call state and counter, in the loop's confined {@code arena}. */
    public void enter(Arena arena) {
        this.callState = arena.allocate(Libc.CALL_STATE);
        this.counter = arena.allocate(JAVA_LONG);
    }

    /** On the loop thread: resets the counter so that the eventfd stops being readable. */
    public void clear() throws IOException {
        try {
            long n = (long) Libc.READ.invokeExact(callState, fd, counter, 8L);
            if (n < 0 && Libc.errno(callState) != Libc.EAGAIN) {
                throw new SystemCallException("read", Libc.errno(callState));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the descriptor, once. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            SocketOptions.close(fd);
        } finally {
            wakeArena.close();
        }
    }
}
