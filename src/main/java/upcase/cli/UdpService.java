package upcase.cli;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
    public String faults() {
        return server.config().faults().describe();
    }

    @Override
    public String engine() {
        return Service.engine(server.engine(), server.threads());
    }

    @Override
    public List<LogEvent.Field> engineFields() {
        return Service.engineFields(server.engine(), server.threads());
    }

    @Override
    public String summary() {
        UdpStats s = server.stats();
        // The drop reasons by their metric labels, so the line reads like /metrics (docs/OPERATIONS.md).
        StringBuilder drops = new StringBuilder();
        s.drops().forEach((why, n) -> drops.append(n == 0 ? "" : ", " + n + " " + why.label()));
        return "udp " + s.received() + " datagrams (" + s.repliesSent() + " answered, " + s.dropped() + " dropped"
                + drops + "), " + s.bytesIn() + " bytes in, " + s.bytesOut() + " bytes out";
    }

    @Override
    public List<LogEvent.Field> summaryFields() {
        UdpStats s = server.stats();
        List<LogEvent.Field> fields = new ArrayList<>(List.of(field("udp_datagrams", s.received()),
                field("udp_replies", s.repliesSent()), field("udp_dropped", s.dropped())));
        // One field per drop reason, named by its metric label: udp_dropped_loop_guard, ...
        s.drops().forEach((why, n) -> fields.add(field("udp_dropped_" + why.label(), n)));
        fields.add(field("udp_bytes_in", s.bytesIn()));
        fields.add(field("udp_bytes_out", s.bytesOut()));
        return fields;
    }

    @Override
    public void close() {
        server.close();
    }
}
