package upcase.tcp;

import upcase.net.Engine;
import upcase.support.NativeEngines;

/** Every test of {@link TlsServerTest}, on the epoll engine: TLS over its wire. */
class NativeTlsServerTest extends TlsServerTest implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
