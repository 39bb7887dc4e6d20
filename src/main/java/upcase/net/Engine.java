package upcase.net;

import java.util.Locale;

/**
 * How a server moves bytes (--engine, shared by the TCP and UDP servers): the JDK's NIO,
 * portable, or system calls made directly through java.lang.foreign on Linux (upcase.nativeio):
 * epoll or io_uring.
 */
public enum Engine {
    /** The native engine where it works here (upcase.nativeio.Availability), else NIO with a line saying why. */
    AUTO,
    /** java.nio channels: every system, every JVM. */
    NIO,
    /**
     * Linux system calls through java.lang.foreign: for TCP an epoll instance per event loop
     * with accept4, recv and send; for UDP recvmmsg/sendmmsg in batches.
     */
    EPOLL,
    /**
     * Linux io_uring through java.lang.foreign (Linux 6.0), a ring per serving thread. TCP:
     * multishot accept and receive into a provided-buffer ring, sends submitted in one
     * io_uring_enter per loop turn. UDP: a multishot recvmsg into provided buffers and a sendmsg
     * per reply, one io_uring_enter per turn. Never chosen by {@link #AUTO}: docs/PERFORMANCE.md
     * has why. Where io_uring is refused (seccomp, kernel.io_uring_disabled) the server fails to
     * start, saying why.
     */
    IO_URING;

    /** The name on the command line and in the start line: {@code auto}, {@code nio}, {@code epoll}, {@code io_uring}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
