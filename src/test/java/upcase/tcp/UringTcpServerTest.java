package upcase.tcp;

import upcase.net.Engine;
import upcase.support.UringEngine;

/** Every test of {@link TcpServerTest}, on the io_uring engine. */
class UringTcpServerTest extends TcpServerTest implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }
}
