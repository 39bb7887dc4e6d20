package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/** The socket calls every kind of socket makes while it is set up: creation, options, the bound address, the close. */
final class SocketOptions {
    private SocketOptions() {}

    /**
     * A TCP socket of the family {@code ipv6} names: non-blocking and close-on-exec from the start
     * (no window in which a fork could inherit it). Returns the descriptor, or -1 with errno in {@code state}.
     */
    static int openStream(MemorySegment state, boolean ipv6) throws Throwable {
        return (int) Libc.SOCKET.invokeExact(state, ipv6 ? Libc.AF_INET6 : Libc.AF_INET,
                Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
    }

    /** setsockopt with an int value; {@code state} receives errno. */
    static void setInt(Arena arena, MemorySegment state, int fd, int level, int name, int value) throws Throwable {
        MemorySegment option = arena.allocateFrom(JAVA_INT, value);
        if ((int) Libc.SETSOCKOPT.invokeExact(state, fd, level, name, option, 4) != 0) {
            throw new SystemCallException("setsockopt", Libc.errno(state));
        }
    }

    /** getsockname, decoded; the kernel's length is checked before the address is read. */
    static InetSocketAddress localAddress(Arena arena, MemorySegment state, int fd) throws Throwable {
        MemorySegment address = arena.allocate(Sockaddr.CAPACITY, 8);
        MemorySegment length = arena.allocateFrom(JAVA_INT, Sockaddr.CAPACITY);
        if ((int) Libc.GETSOCKNAME.invokeExact(state, fd, address, length) != 0) {
            throw new SystemCallException("getsockname", Libc.errno(state));
        }
        return Sockaddr.decode(address, 0, Math.min(length.get(JAVA_INT, 0), Sockaddr.CAPACITY));
    }

    /** close(fd); Linux releases the descriptor even when close reports an error, so never retried. */
    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CALL_STATE);
            int ignored = (int) Libc.CLOSE.invokeExact(state, fd);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
