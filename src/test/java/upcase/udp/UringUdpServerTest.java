package upcase.udp;

import upcase.net.Engine;
import upcase.support.UringEngine;

/** Every test of {@link UdpServerTest}, on the io_uring engine (a ring per socket, multishot recvmsg, a sendmsg per reply). */
class UringUdpServerTest extends UdpServerTest implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }
}
