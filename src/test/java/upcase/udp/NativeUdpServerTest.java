package upcase.udp;

import org.junit.jupiter.api.BeforeEach;
import upcase.net.Engine;

/** Every test of {@link UdpServerTest}, on the native engine (recvmmsg/sendmmsg, one socket per thread). */
class NativeUdpServerTest extends UdpServerTest {
    @BeforeEach
    void nativeEngine() {
        NativeEngines.assumeAvailable();
    }

    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
