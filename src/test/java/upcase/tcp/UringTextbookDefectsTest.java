package upcase.tcp;

import upcase.net.Engine;
import upcase.support.UringEngine;

/** Every test of {@link TextbookDefectsTest}, on the io_uring engine. */
class UringTextbookDefectsTest extends TextbookDefectsTest implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }
}
