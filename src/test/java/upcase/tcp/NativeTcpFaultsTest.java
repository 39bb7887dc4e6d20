package upcase.tcp;

import upcase.net.Engine;
import upcase.support.NativeEngines;

/** Every test of {@link TcpFaultsTest}, on the epoll engine. */
class NativeTcpFaultsTest extends TcpFaultsTest implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
