package upcase.nativeio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * A UDP socket made and driven by system calls: the descriptor is a plain int, so this class
 * guards it. It is closed once, by {@link #close}, and a close can race only with
 * {@link #shutdownInput} from the closing thread: both hold this object's lock, and a shutdown
 * after the close does nothing, so no call ever reaches a descriptor number the kernel may have
 * given to someone else since. {@link #receive} and {@link #send} are the owner thread's, which is
 * also the one that closes.
 */
public final class NativeDatagramSocket implements AutoCloseable {
    /** What a socket is set up with before bind. */
    public record Options(int bufferBytes, boolean reusePort, boolean packetInfo) {}

    private final int fd;
    private final boolean ipv6;
    /** Written under this object's lock; read without it by the owner before each receive and send. */
    private volatile boolean closed;

    private NativeDatagramSocket(int fd, boolean ipv6) {
        this.fd = fd;
        this.ipv6 = ipv6;
    }

    /**
     * A socket of {@code bind}'s family bound to it: an IPv6 one is dual-stack (IPV6_V6ONLY off),
     * so {@code ::} also receives IPv4. Options are set before bind, as SO_REUSEPORT requires.
     */
    public static NativeDatagramSocket bind(InetSocketAddress bind, Options options) throws IOException {
        return open(bind, options, false);
    }

    /**
     * A non-blocking socket of {@code peer}'s family connected to it (a load generator's): the
     * kernel then drops datagrams from anyone else, a batch needs no addresses
     * ({@link DatagramBatch#queueDatagram}), and an ICMP port unreachable comes back as
     * ECONNREFUSED on a later call. {@link #receive} on an empty queue returns 0.
     */
    public static NativeDatagramSocket connect(InetSocketAddress peer, Options options) throws IOException {
        return open(peer, options, true);
    }

    private static NativeDatagramSocket open(InetSocketAddress where, Options options, boolean connect) throws IOException {
        boolean ipv6 = !(where.getAddress() instanceof Inet4Address);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int type = Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC | (connect ? Libc.SOCK_NONBLOCK : 0);
            int fd = (int) Libc.SOCKET.invokeExact(state, ipv6 ? Libc.AF_INET6 : Libc.AF_INET, type, 0);
            if (fd < 0) {
                throw new SystemCallException("socket", Libc.errno(state));
            }
            NativeDatagramSocket socket = new NativeDatagramSocket(fd, ipv6);
            try {
                SocketOptions.setInt(arena, state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, options.bufferBytes());
                SocketOptions.setInt(arena, state, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, options.bufferBytes());
                if (options.reusePort()) {
                    SocketOptions.setInt(arena, state, fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1);
                }
                if (ipv6) {
                    SocketOptions.setInt(arena, state, fd, Libc.SOL_IPV6, Libc.IPV6_V6ONLY, 0);
                }
                if (options.packetInfo()) {
                    // On a dual-stack socket IPV6_RECVPKTINFO alone covers IPv4 too (as ::ffff:a.b.c.d).
                    if (ipv6) {
                        SocketOptions.setInt(arena, state, fd, Libc.SOL_IPV6, Libc.IPV6_RECVPKTINFO, 1);
                    } else {
                        SocketOptions.setInt(arena, state, fd, Libc.SOL_IP, Libc.IP_PKTINFO, 1);
                    }
                }
                MemorySegment address = arena.allocate(Sockaddr.CAPACITY, 8);
                int length = Sockaddr.encode(where, address);
                // A datagram connect only sets the peer (and binds an ephemeral port): it never blocks.
                int result = connect ? (int) Libc.CONNECT.invokeExact(state, fd, address, length)
                        : (int) Libc.BIND.invokeExact(state, fd, address, length);
                if (result != 0) {
                    throw new SystemCallException(connect ? "connect" : "bind", Libc.errno(state));
                }
                return socket;
            } catch (Throwable e) {
                socket.close();
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The descriptor, for an io_uring request of the owner thread, which closes its ring before this socket. */
    int fd() {
        return fd;
    }

    public boolean ipv6() {
        return ipv6;
    }

    /** The bound address: with port 0, the port the kernel chose. */
    public InetSocketAddress localAddress() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            synchronized (this) {
                ensureOpen();
                return SocketOptions.localAddress(arena, state, fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Blocks until at least one datagram is queued, then takes as many as are queued, up to the
     * batch's slots, in one {@code recvmmsg}. Returns how many; 0 when a signal interrupted the wait.
     * After {@link #shutdownInput}, datagrams still queued come first, then a slot with
     * {@link DatagramBatch#endOfInput}.
     */
    public int receive(DatagramBatch batch) throws IOException {
        ensureOpen();
        batch.prepareReceive();
        int count;
        try {
            count = (int) Libc.RECVMMSG.invokeExact(batch.callState, fd, batch.receiveHeaders, batch.slots(),
                    Libc.MSG_WAITFORONE, MemorySegment.NULL);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (count < 0) {
            int errno = Libc.errno(batch.callState);
            // EAGAIN: a connected (non-blocking) socket's queue is empty.
            if (errno == Libc.EINTR || errno == Libc.EAGAIN) {
                return 0;
            }
            throw new SystemCallException("recvmmsg", errno);
        }
        batch.received(count);
        return count;
    }

    /**
     * Sends the batch's queued replies with as few {@code sendmmsg} calls as the kernel allows:
     * one when it takes them all; after a partial send, again from the first one not sent. A
     * reply the kernel refuses (no buffer space, no route, its address gone) is skipped with its
     * errno recorded in the batch; only a socket that is no longer usable throws.
     */
    public void send(DatagramBatch batch) throws IOException {
        ensureOpen();
        int count = batch.queued();
        int next = 0;
        while (next < count) {
            int sent;
            try {
                // The whole batch as it is (no slice, so nothing allocated) unless a partial send came first.
                MemorySegment headers = next == 0 ? batch.sendHeaders : batch.sendHeaders.asSlice(next * DatagramBatch.headerSize());
                sent = (int) Libc.SENDMMSG.invokeExact(batch.callState, fd, headers, count - next, 0);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            if (sent > 0) {
                next += Math.min(sent, count - next);
                continue;
            }
            int errno = sent == 0 ? Libc.EAGAIN : Libc.errno(batch.callState);
            if (errno == Libc.EINTR) {
                continue;
            }
            // EINVAL here is one reply's (its packet info names an address the host no longer has).
            if (errno != Libc.EINVAL && SystemCallException.unusable(errno)) {
                throw new SystemCallException("sendmmsg", errno);
            }
            batch.replyErrno[next++] = errno; // this reply alone; the rest still go
        }
    }

    /**
     * Wakes a thread blocked in {@link #receive} once the queue is empty, and makes every later
     * receive on an empty queue return at once: the stop signal. Datagrams queued before are
     * still received. Any thread; does nothing once closed. (Linux answers ENOTCONN for an
     * unconnected UDP socket and applies it all the same.)
     */
    public synchronized void shutdownInput() {
        if (closed) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int ignored = (int) Libc.SHUTDOWN.invokeExact(state, fd, Libc.SHUT_RD);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds this socket to {@code epoll} ({@code add}) or changes its interest there; the close
     * removes it (the descriptor's last reference goes). The owner thread.
     */
    public synchronized void watch(Epoll epoll, boolean add, int interest, long token) throws IOException {
        ensureOpen();
        if (add) {
            epoll.add(fd, interest, token);
        } else {
            epoll.modify(fd, interest, token);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new SystemCallException("use after close", Libc.EBADF);
        }
    }

    /** Closes the descriptor, once; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        SocketOptions.close(fd);
    }
}
