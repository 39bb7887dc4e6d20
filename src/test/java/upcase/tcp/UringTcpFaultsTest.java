package upcase.tcp;

import upcase.net.Engine;
import upcase.support.UringEngine;

/** Every test of {@link TcpFaultsTest}, on the io_uring engine. */
class UringTcpFaultsTest extends TcpFaultsTest implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }
}
