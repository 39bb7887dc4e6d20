package upcase.tcp;

import upcase.net.Engine;
import upcase.support.NativeEngines;

/** {@link NativeEngineContract} on the epoll engine. */
class EpollEngineTest extends NativeEngineContract implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
