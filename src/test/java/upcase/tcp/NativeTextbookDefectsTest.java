package upcase.tcp;

import upcase.net.Engine;
import upcase.support.NativeEngines;

/** Every test of {@link TextbookDefectsTest}, on the epoll engine. */
class NativeTextbookDefectsTest extends TextbookDefectsTest implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
