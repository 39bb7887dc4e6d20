package upcase.nativeio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A listening TCP socket made by system calls, non-blocking and close-on-exec, shared by the
 * TCP server's epoll loops: each registers it and accepts from it ({@link StreamSockets#accept}).
 * Closed once, by {@link #close}, from the thread that stops the server, after every loop has
 * removed it from its epoll instance (TcpServer#close waits for that).
 */
public final class NativeListenSocket implements AutoCloseable {
    private final int fd;
    private final InetSocketAddress local;
    private boolean closed;

    private NativeListenSocket(int fd, InetSocketAddress local) {
        this.fd = fd;
        this.local = local;
    }

    /**
     * Listens on {@code bind}. SO_REUSEADDR always (a restarted server gets its port back while
     * old connections sit in TIME_WAIT), SO_REUSEPORT when asked, both before bind as the kernel
     * requires; an IPv6 socket is dual-stack (IPV6_V6ONLY off, as the JDK's), and a wildcard of
     * either family is {@code ::}, or {@code 0.0.0.0} on a host without IPv6.
     */
    public static NativeListenSocket listen(InetSocketAddress bind, boolean reusePort, int backlog) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            boolean wildcard = bind.getAddress().isAnyLocalAddress();
            if (wildcard) {
                // Either family's wildcard means every interface of both, as the JDK binds it.
                bind = new InetSocketAddress(InetAddress.getByAddress(new byte[16]), bind.getPort());
            }
            boolean ipv6 = !(bind.getAddress() instanceof Inet4Address);
            int fd = SocketOptions.openStream(state, ipv6);
            if (fd < 0 && wildcard) {
                ipv6 = false;
                bind = new InetSocketAddress(InetAddress.getByAddress(new byte[4]), bind.getPort());
                fd = SocketOptions.openStream(state, false);
            }
            if (fd < 0) {
                throw new SystemCallException("socket", Libc.errno(state));
            }
            try {
                SocketOptions.setInt(arena, state, fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
                if (reusePort) {
                    SocketOptions.setInt(arena, state, fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1);
                }
                if (ipv6) {
                    SocketOptions.setInt(arena, state, fd, Libc.SOL_IPV6, Libc.IPV6_V6ONLY, 0);
                }
                // Linux gives every accepted socket the listener's TCP_NODELAY (the child is a
                // copy of the listener's tcp_sock), so set once here it costs no setsockopt per
                // accept: one system call of about ten per short connection (docs/PERFORMANCE.md).
                // NativeListenSocketTest checks that the accepted sockets have it.
                SocketOptions.setInt(arena, state, fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);
                MemorySegment address = arena.allocate(Sockaddr.CAPACITY, 8);
                int length = Sockaddr.encode(bind, address);
                if ((int) Libc.BIND.invokeExact(state, fd, address, length) != 0) {
                    throw new SystemCallException("bind", Libc.errno(state));
                }
                if ((int) Libc.LISTEN.invokeExact(state, fd, backlog) != 0) {
                    throw new SystemCallException("listen", Libc.errno(state));
                }
                return new NativeListenSocket(fd, SocketOptions.localAddress(arena, state, fd));
            } catch (Throwable e) {
                int ignored = (int) Libc.CLOSE.invokeExact(state, fd);
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bound address: with port 0, the port the kernel chose. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** The descriptor, for an epoll registration; valid until {@link #close}. */
    public int fd() {
        return fd;
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
