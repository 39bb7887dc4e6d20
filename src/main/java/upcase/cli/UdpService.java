package upcase.cli;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import upcase.net.LogEvent;
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
    public String summary() {
        UdpStats s = server.stats();
        return "udp " + s.received() + " datagrams (" + s.loopGuarded() + " loop-guarded, " + s.oversized()
                + " oversized, " + s.rateLimited() + " rate-limited), " + s.bytesIn() + " bytes in, " + s.bytesOut() + " bytes out";
    }

    @Override
    public List<LogEvent.Field> summaryFields() {
        UdpStats s = server.stats();
        return List.of(field("udp_datagrams", s.received()), field("udp_replies", s.repliesSent()),
                field("udp_loop_guarded", s.loopGuarded()), field("udp_oversized", s.oversized()),
                field("udp_rate_limited", s.rateLimited()), field("udp_send_failed", s.sendFailures()),
                field("udp_bytes_in", s.bytesIn()), field("udp_bytes_out", s.bytesOut()));
    }

    @Override
    public void close() {
        server.close();
    }
}
