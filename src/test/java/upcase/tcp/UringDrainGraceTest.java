package upcase.tcp;

import upcase.net.Engine;
import upcase.support.UringEngine;

/** Every test of {@link DrainGraceTest}, on the io_uring engine. */
class UringDrainGraceTest extends DrainGraceTest implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }
}
