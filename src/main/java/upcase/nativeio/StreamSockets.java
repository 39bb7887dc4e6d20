package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * The system calls one TCP event loop makes on its connections (accept or connect, recv, send,
 * shutdown, close), the server's loops and the load generator's, with the native memory they
 * need, all in the loop's confined arena: only the loop thread calls them. Bytes cross between that memory and the loop's heap arrays by one copy
 * each way, so the transform works on plain byte arrays whatever the engine.
 *
 * <p>Every length the kernel returns is checked against what it was given: one that does not
 * fit is an {@link IllegalStateException}, never a copy past the buffer.
 */
public final class StreamSockets {
    private final MemorySegment buffer;
    private final int capacity;
    private final MemorySegment address;
    private final MemorySegment addressLength;
    private final MemorySegment option;
    private final MemorySegment optionLength;
    /** struct linger { int l_onoff; int l_linger; } */
    private final MemorySegment linger;
    private final MemorySegment callState;

    /** {@code bufferBytes}: the most one recv or send moves. */
    public StreamSockets(Arena arena, int bufferBytes) {
        this.buffer = arena.allocate(bufferBytes, 64);
        this.capacity = bufferBytes;
        this.address = arena.allocate(Sockaddr.CAPACITY, 8);
        this.addressLength = arena.allocate(JAVA_INT);
        this.option = arena.allocate(JAVA_INT);
        this.optionLength = arena.allocate(JAVA_INT);
        this.linger = arena.allocate(8, 4);
        this.callState = arena.allocate(Libc.CALL_STATE);
    }

    /**
     * Takes one connection from {@code listener}'s queue: non-blocking, close-on-exec, with
     * TCP_NODELAY, which it has from the listener ({@link NativeListenSocket#listen}). Returns its
     * descriptor, or -1 when the queue is empty (or another loop took it); {@link #peer} then
     * names its client.
     *
     * @throws SystemCallException out of descriptors (EMFILE, ENFILE) or memory: the caller backs off
     */
    public int accept(NativeListenSocket listener) throws IOException {
        while (true) {
            addressLength.set(JAVA_INT, 0, Sockaddr.CAPACITY);
            int fd;
            try {
                fd = (int) Libc.ACCEPT4.invokeExact(callState, listener.fd(), address, addressLength,
                        Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            if (fd < 0) {
                int errno = Libc.errno(callState);
                if (errno == Libc.EAGAIN) {
                    return -1;
                }
                if (errno == Libc.EINTR || errno == Libc.ECONNABORTED || errno == Libc.EPROTO) {
                    continue; // that one connection is gone; the queue may hold more
                }
                throw new SystemCallException("accept4", errno);
            }
            return fd;
        }
    }

    /**
     * A connection that io_uring accepted (non-blocking, close-on-exec already): TCP_NODELAY,
     * then its client (getpeername: a multishot accept shares one address buffer, so it gives
     * none). Null when it was reset before now (ENOTCONN): it is still served, as accept4's would
     * be, and its first read meets the reset, so that every accepted connection is counted.
     */
    public InetSocketAddress accepted(int fd) {
        noDelay(fd); // fails only on a connection already gone, which the read then reports
        addressLength.set(JAVA_INT, 0, Sockaddr.CAPACITY);
        int result;
        try {
            result = (int) Libc.GETPEERNAME.invokeExact(callState, fd, address, addressLength);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return result == 0 ? peer() : null;
    }

    /** TCP_NODELAY on {@code fd}: lines and replies must not wait for an ACK (Nagle). False if it failed (errno in the call state). */
    private boolean noDelay(int fd) {
        option.set(JAVA_INT, 0, 1);
        try {
            return (int) Libc.SETSOCKOPT.invokeExact(callState, fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, option, 4) == 0;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a connection to {@code target} (the load generator's side): a non-blocking,
     * close-on-exec socket with TCP_NODELAY, and connect(), which on a non-blocking socket
     * returns EINPROGRESS and finishes in the background. Returns the descriptor: the caller
     * waits for it to be writable, then calls {@link #finishConnect}. Even a connect that
     * finished at once (loopback may) is reported writable, so there is one path, not two.
     *
     * @throws SystemCallException out of descriptors, or a failure the kernel knew at once
     *     (ECONNREFUSED, ENETUNREACH); the socket is closed by then
     */
    public int connect(InetSocketAddress target) throws IOException {
        boolean ipv6 = !(target.getAddress() instanceof Inet4Address);
        int fd;
        try {
            fd = SocketOptions.openStream(callState, ipv6);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (fd < 0) {
            throw new SystemCallException("socket", Libc.errno(callState));
        }
        if (!noDelay(fd)) {
            int errno = Libc.errno(callState);
            close(fd);
            throw new SystemCallException("setsockopt", errno);
        }
        int length = Sockaddr.encode(target, address);
        int result;
        try {
            result = (int) Libc.CONNECT.invokeExact(callState, fd, address, length);
        } catch (Throwable e) {
            close(fd);
            throw new IllegalStateException(e);
        }
        if (result != 0) {
            int errno = Libc.errno(callState);
            if (errno != Libc.EINPROGRESS && errno != Libc.EINTR) { // after EINTR it goes on in the background too
                close(fd);
                throw new SystemCallException("connect", errno);
            }
        }
        return fd;
    }

    /**
     * Once a connecting descriptor is writable (or reports an error or hang-up): the connect's
     * outcome, read and cleared by getsockopt(SO_ERROR).
     *
     * @throws SystemCallException the connect failed (ECONNREFUSED, ETIMEDOUT, ...): the caller closes the descriptor
     */
    public void finishConnect(int fd) throws IOException {
        option.set(JAVA_INT, 0, 0);
        optionLength.set(JAVA_INT, 0, 4);
        int result;
        try {
            result = (int) Libc.GETSOCKOPT.invokeExact(callState, fd, Libc.SOL_SOCKET, Libc.SO_ERROR, option, optionLength);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (result != 0) {
            throw new SystemCallException("getsockopt", Libc.errno(callState));
        }
        if (optionLength.get(JAVA_INT, 0) != 4) {
            throw new IllegalStateException("getsockopt(SO_ERROR) reported " + optionLength.get(JAVA_INT, 0) + " bytes for 4");
        }
        int error = option.get(JAVA_INT, 0);
        if (error != 0) {
            throw new SystemCallException("connect", error);
        }
    }

    /** The client of the connection the last {@link #accept} returned. */
    public InetSocketAddress peer() {
        return Sockaddr.decode(address, 0, peerLength());
    }

    /**
     * The client of the last {@link #accept} as one long, when it is IPv4 (also as IPv4-mapped
     * IPv6): no objects, for a server that keeps it for every connection ({@link #unpackIpv4}
     * turns it into an address when a log line asks). -1 for an IPv6 client: use {@link #peer}.
     */
    public long peerIpv4() {
        return Sockaddr.packIpv4(address, 0, peerLength());
    }

    /** The address {@link #peerIpv4} packed. */
    public static InetSocketAddress unpackIpv4(long packed) {
        return Sockaddr.unpackIpv4(packed);
    }

    private int peerLength() {
        int length = addressLength.get(JAVA_INT, 0);
        if (length < 0 || length > Sockaddr.CAPACITY) {
            throw new IllegalStateException("accept4 reported a " + length + "-byte address for " + Sockaddr.CAPACITY);
        }
        return length;
    }

    /**
     * Receives into {@code array[offset, offset + length)}, at most the native buffer's size:
     * the bytes received, 0 when there are none yet, -1 at the end of the stream.
     *
     * @throws SystemCallException a reset (ECONNRESET) or another failure of the connection
     */
    public int read(int fd, byte[] array, int offset, int length) throws IOException {
        int asked = Math.min(length, capacity);
        long n;
        try {
            n = (long) Libc.RECV.invokeExact(callState, fd, buffer, (long) asked, 0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (n > 0) {
            if (n > asked) {
                throw new IllegalStateException("recv reported " + n + " bytes for " + asked);
            }
            MemorySegment.copy(buffer, JAVA_BYTE, 0, array, offset, (int) n);
            return (int) n;
        }
        if (n == 0) {
            return asked == 0 ? 0 : -1;
        }
        int errno = Libc.errno(callState);
        if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
            return 0;
        }
        throw new SystemCallException("recv", errno);
    }

    /**
     * Sends {@code array[offset, offset + length)} as far as the kernel takes it now, in
     * buffer-sized pieces: returns how many bytes it took (0 when its buffer is full).
     *
     * @throws SystemCallException the peer is gone (EPIPE, ECONNRESET: never a SIGPIPE)
     */
    public int write(int fd, byte[] array, int offset, int length) throws IOException {
        int written = 0;
        while (written < length) {
            int asked = Math.min(length - written, capacity);
            MemorySegment.copy(array, offset + written, buffer, JAVA_BYTE, 0, asked);
            long n;
            try {
                n = (long) Libc.SEND.invokeExact(callState, fd, buffer, (long) asked, Libc.MSG_NOSIGNAL);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            if (n < 0) {
                int errno = Libc.errno(callState);
                if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
                    return written;
                }
                throw new SystemCallException("send", errno);
            }
            if (n > asked) {
                throw new IllegalStateException("send reported " + n + " bytes for " + asked);
            }
            written += (int) n;
            if (n < asked) {
                return written; // the kernel's buffer is full
            }
        }
        return written;
    }

    /** Our FIN (shutdown SHUT_WR): the client reads the end of the replies. */
    public void shutdownOutput(int fd) throws IOException {
        int result;
        try {
            result = (int) Libc.SHUTDOWN.invokeExact(callState, fd, Libc.SHUT_WR);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (result != 0) {
            throw new SystemCallException("shutdown", Libc.errno(callState));
        }
    }

    /** SO_LINGER on with a zero timeout: the close that follows sends a reset, not a FIN. */
    public void resetOnClose(int fd) throws IOException {
        linger.set(JAVA_INT, 0, 1);
        linger.set(JAVA_INT, 4, 0);
        int result;
        try {
            result = (int) Libc.SETSOCKOPT.invokeExact(callState, fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger, 8);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (result != 0) {
            throw new SystemCallException("setsockopt", Libc.errno(callState));
        }
    }

    /** The connection's own address (getsockname): for log events only, so its own small arena. */
    public InetSocketAddress localAddress(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return SocketOptions.localAddress(arena, arena.allocate(Libc.CALL_STATE), fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Closes a descriptor. The caller closes each once, after removing its epoll registration:
     * a second close could hit a descriptor number the kernel has given to a new connection.
     */
    public void close(int fd) {
        try {
            int ignored = (int) Libc.CLOSE.invokeExact(callState, fd);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
