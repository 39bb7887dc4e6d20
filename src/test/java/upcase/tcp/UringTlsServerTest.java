package upcase.tcp;

import upcase.net.Engine;
import upcase.support.UringEngine;

/** Every test of {@link TlsServerTest}, on the io_uring engine. */
class UringTlsServerTest extends TlsServerTest implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }
}
