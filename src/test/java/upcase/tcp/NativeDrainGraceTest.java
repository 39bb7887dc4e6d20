package upcase.tcp;

import upcase.net.Engine;
import upcase.support.NativeEngines;

/** Every test of {@link DrainGraceTest}, on the epoll engine. */
class NativeDrainGraceTest extends DrainGraceTest implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
