package upcase.udp;

import upcase.net.Engine;
import upcase.support.NativeEngines;

/**
 * Every test of {@link UdpFaultsTest}, asking for the native engine: the drop rate runs on it,
 * and --delay falls back to NIO's delayed-reply thread (docs/OPERATIONS.md §UDP engines).
 */
class NativeUdpFaultsTest extends UdpFaultsTest implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }
}
