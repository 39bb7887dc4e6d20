package upcase.udp;

import upcase.net.Engine;
import upcase.support.UringEngine;

/**
 * Every test of {@link NativeEngineTest} on the io_uring engine: a burst of three times its
 * {@link UringReplyLoop#BUFFERS} buffers and 64 sockets x 8 in flight (more datagrams than
 * buffers: the multishot receive ends with -ENOBUFS and is armed again as replies free them),
 * stop with a burst in flight, no allocation per datagram, no descriptor left by 50 servers
 * (each ring's requests cancelled before it closes), replies from the address a datagram came
 * to on IPv4 and dual-stack sockets (IP_PKTINFO, IPV6_PKTINFO), the largest datagram whole.
 */
class UringEngineTest extends NativeEngineTest implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }
}
