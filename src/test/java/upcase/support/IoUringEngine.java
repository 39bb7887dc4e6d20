package upcase.support;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import upcase.nativeio.Availability;

/**
 * For the tests of the io_uring engine: they skip, with the reason, where io_uring cannot run
 * (an old kernel, seccomp, kernel.io_uring_disabled). A test class that implements this skips
 * each of its tests so; others call {@link #assumeAvailable}.
 */
public interface IoUringEngine {
    static void assumeAvailable() {
        Availability here = Availability.ioUring();
        Assumptions.assumeTrue(here.available(), () -> "no io_uring here: " + here.reason());
    }

    @BeforeEach
    default void skipWithoutIoUring() {
        assumeAvailable();
    }
}
