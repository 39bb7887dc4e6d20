package upcase.nativeio;

import java.io.IOException;

/**
 * A system call failed: the message is the C library's text for errno ("Address already in
 * use"), as the JDK's socket exceptions say it, so that callers' one-line errors read the same
 * whichever engine made the call.
 */
public final class SystemCallException extends IOException {
    private final String call;
    private final int errno;

    SystemCallException(String call, int errno) {
        super(Libc.message(errno));
        this.call = call;
        this.errno = errno;
    }

    /** A failure that a completion reported (io_uring's result is minus errno) rather than errno. */
    public static SystemCallException of(String call, int errno) {
        return new SystemCallException(call, errno);
    }

    /** The C library's text for {@code errno}, for a failure that is counted rather than thrown. */
    public static String describe(int errno) {
        return Libc.message(errno);
    }

    /**
     * Whether the error means the socket can no longer be used (a bad descriptor, a bad buffer:
     * a bug), rather than a failure of one datagram or of a past reply (ICMP errors, no buffer space).
     */
    public boolean socketUnusable() {
        return unusable(errno);
    }

    /** Whether {@code errno} is a connected datagram socket's report of an ICMP port unreachable: nothing listens there. */
    public static boolean portUnreachable(int errno) {
        return errno == Libc.ECONNREFUSED;
    }

    static boolean unusable(int errno) {
        return errno == Libc.EBADF || errno == Libc.ENOTSOCK || errno == Libc.EFAULT || errno == Libc.EINVAL;
    }

    /** The failed call's name: {@code bind}, {@code recvmmsg}, ... */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
