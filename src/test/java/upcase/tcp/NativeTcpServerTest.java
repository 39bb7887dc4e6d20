package upcase.tcp;

import upcase.net.Engine;
import upcase.support.NativeEngines;

/** Every test of {@link TcpServerTest}, on the epoll engine. */
class NativeTcpServerTest extends TcpServerTest implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
