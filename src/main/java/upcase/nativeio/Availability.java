package upcase.nativeio;

import java.util.Locale;

/**
 * Whether this package's native calls work in this JVM, and if not, why, in one line: the
 * {@code auto} engine falls back to NIO with that line, and {@code --engine epoll} fails with it.
 *
 * @param reason empty when available
 */
public record Availability(boolean available, String reason) {
    private static final Availability HERE = check();

    /** This JVM's answer; computed once. */
    public static Availability here() {
        return HERE;
    }

    /**
     * Whether io_uring works here as the io_uring engine needs it (multishot accept and receive,
     * provided-buffer rings: Linux 6.0), and if not, why: a small ring is set up, given a buffer
     * ring and closed. Seccomp (containers' default profiles refuse io_uring_setup with EPERM),
     * kernel.io_uring_disabled and kernels built without it answer here, not mid-serve. Computed once.
     */
    public static Availability ioUring() {
        return UringProbe.RESULT;
    }

    private static final class UringProbe {
        static final Availability RESULT = HERE.available() ? IoUring.probe() : HERE;
    }

    private static Availability check() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux")) {
            return new Availability(false, "the native engine needs Linux, not " + os);
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return new Availability(false, "the native engine knows x86_64 and aarch64, not " + arch);
        }
        if (!Availability.class.getModule().isNativeAccessEnabled()) {
            return new Availability(false, "native access is not enabled (java --enable-native-access=ALL-UNNAMED)");
        }
        try {
            // Loading Libc links every call the engine makes: a missing symbol (not glibc, a
            // kernel-era libc without recvmmsg) fails here rather than mid-serve.
            Libc.message(Libc.EAGAIN);
            return new Availability(true, "");
        } catch (LinkageError | RuntimeException e) {
            Throwable cause = e instanceof ExceptionInInitializerError init && init.getCause() != null ? init.getCause() : e;
            return new Availability(false, "the C library cannot be called: " + cause.getMessage());
        }
    }
}
