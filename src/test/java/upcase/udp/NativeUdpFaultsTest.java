package upcase.udp;

import org.junit.jupiter.api.BeforeEach;
import upcase.net.Engine;

/**
 * Every test of {@link UdpFaultsTest}, asking for the native engine: the drop rate runs on it,
 * and --delay falls back to NIO's delayed-reply thread (docs/OPERATIONS.md).
 */
class NativeUdpFaultsTest extends UdpFaultsTest {
    @BeforeEach
    void nativeEngine() {
        NativeEngines.assumeAvailable();
    }

    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
