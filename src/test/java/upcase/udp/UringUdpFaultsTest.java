package upcase.udp;

import upcase.net.Engine;
import upcase.support.UringEngine;

/**
 * Every test of {@link UdpFaultsTest}, asking for the io_uring engine: the drop rate runs on it,
 * and --delay falls back to NIO's delayed-reply thread, as it does from epoll.
 */
class UringUdpFaultsTest extends UdpFaultsTest implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }
}
