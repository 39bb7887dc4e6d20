package upcase.net;

import java.util.Locale;

/**
 * How a server moves bytes (--engine): the JDK's NIO, portable, or system calls made directly
 * through java.lang.foreign on Linux. Only the UDP server has a native engine so far; TCP runs
 * on NIO whatever is chosen.
 */
public enum Engine {
    /** The native engine where it works here (upcase.nativeio.Availability), else NIO with a line saying why. */
    AUTO,
    /** java.nio channels: every system, every JVM. */
    NIO,
    /** Linux system calls (recvmmsg/sendmmsg for UDP) through java.lang.foreign. */
    EPOLL;

    /** The name on the command line and in the start line: {@code auto}, {@code nio}, {@code epoll}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
