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

    /** The failed call's name: {@code bind}, {@code recvmmsg}, ... */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
