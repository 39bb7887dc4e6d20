package upcase.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/** A TCP and a UDP server on loopback with a metrics listener reporting on them, as `upcase server --metrics` runs them. */
final class MonitoredServers implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final TcpServer tcp;
    final UdpServer udp;
    final MetricsServer metrics;
    /** What /health/ready reports; tests flip it. */
    final AtomicBoolean ready = new AtomicBoolean(true);

    private MonitoredServers(int maxConnections, String version) throws IOException {
        tcp = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(LOOPBACK, 0)).withMaxConnections(maxConnections));
        udp = UdpServer.start(new UdpServerConfig(new InetSocketAddress(LOOPBACK, 0), UpperCase.unicode()));
        metrics = MetricsServer.start(MetricsConfig.defaults(new InetSocketAddress(LOOPBACK, 0)),
                tcp::stats, udp::stats, ready::get, version);
    }

    static MonitoredServers start(int maxConnections, String version) throws IOException {
        return new MonitoredServers(maxConnections, version);
    }

    int metricsPort() {
        return metrics.localAddress().getPort();
    }

    @Override
    public void close() {
        metrics.close();
        tcp.close();
        udp.close();
    }
}
