package upcase.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import upcase.metrics.MetricsConfig;
import upcase.metrics.MetricsServer;
import upcase.tcp.TcpStats;
import upcase.udp.UdpStats;

/** Connects the running servers' counters to the metrics listener (--metrics). */
final class ServiceMetrics {
    private ServiceMetrics() {}

    static MetricsServer start(InetSocketAddress bind, List<Service> services, BooleanSupplier ready) throws IOException {
        Supplier<TcpStats> tcp = null;
        Supplier<UdpStats> udp = null;
        for (Service service : services) {
            if (service instanceof TcpService t) {
                tcp = t.server()::stats;
            } else if (service instanceof UdpService u) {
                udp = u.server()::stats;
            }
        }
        return MetricsServer.start(MetricsConfig.defaults(bind), tcp, udp, ready, Version.number());
    }
}
