package upcase.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;
import upcase.udp.UdpStats;

record UdpService(UdpServer server) implements Service {
    static Service start(UdpServerConfig config) throws IOException {
        return new UdpService(UdpServer.start(config));
    }

    @Override
    public String protocol() {
        return "udp";
    }

    @Override
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    @Override
    public CompletableFuture<Throwable> broken() {
        return server.broken();
    }

    @Override
    public String faults() {
        return server.config().faults().describe();
    }

    @Override
    public String summary() {
        UdpStats s = server.stats();
        return "udp " + s.received() + " datagrams (" + s.loopGuarded() + " loop-guarded, " + s.oversized()
                + " oversized, " + s.rateLimited() + " rate-limited), " + s.bytesIn() + " bytes in, " + s.bytesOut() + " bytes out";
    }

    @Override
    public void close() {
        server.close();
    }
}
