package upcase.support;

import org.junit.jupiter.api.BeforeEach;

/** For the tests of the io_uring engine: a test class that implements this skips each test, with the reason, where io_uring cannot run. */
public interface UringEngine {
    @BeforeEach
    default void skipWithoutIoUring() {
        NativeEngines.assumeUring();
    }
}
