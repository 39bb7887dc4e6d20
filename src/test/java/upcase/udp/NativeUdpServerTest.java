package upcase.udp;

import upcase.net.Engine;
import upcase.support.NativeEngines;

/** Every test of {@link UdpServerTest}, on the native engine (recvmmsg/sendmmsg, one socket per thread). */
class NativeUdpServerTest extends UdpServerTest implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
