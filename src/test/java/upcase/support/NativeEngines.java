package upcase.support;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import upcase.nativeio.Availability;

/**
 * For the tests of the native engine: they skip, with the reason, where it cannot run. A test
 * class that implements this skips each of its tests so; others call {@link #assumeAvailable}.
 */
public interface NativeEngines {
    static void assumeAvailable() {
        Availability here = Availability.here();
        Assumptions.assumeTrue(here.available(), () -> "no native engine here: " + here.reason());
    }

    /** Skips the calling test, with the reason, where the io_uring engine cannot run. */
    static void assumeUring() {
        Availability here = Availability.ioUring();
        Assumptions.assumeTrue(here.available(), () -> "no io_uring engine here: " + here.reason());
    }

    /** For a test parameterized by engine name: skips {@code epoll} and {@code io_uring} where they cannot run, runs {@code nio} everywhere. */
    static void assumeEngine(String engine) {
        if (engine.equals("epoll")) {
            assumeAvailable();
        } else if (engine.equals("io_uring")) {
            assumeUring();
        }
    }

    @BeforeEach
    default void skipWithoutTheNativeEngine() {
        assumeAvailable();
    }
}
