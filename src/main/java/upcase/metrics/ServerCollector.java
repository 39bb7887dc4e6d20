package upcase.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import upcase.tcp.DurationHistogram;
import upcase.tcp.TcpStats;
import upcase.udp.UdpStats;

/**
 * upcase's own metrics (docs/OPERATIONS.md §Metrics), made at scrape time from the servers'
 * counter snapshots: the servers count as they always have, and only a scrape pays for turning
 * that into Prometheus's model. Runs on the metrics listener's request threads. The stop
 * summary line reads the same snapshots, so both tell the same numbers.
 */
final class ServerCollector implements MultiCollector {
    private final Supplier<TcpStats> tcp;
    private final Supplier<UdpStats> udp;
    private final String version;

    /**
     * @param tcp the TCP server's counters, or null when this process runs no TCP server
     * @param udp the UDP server's counters, or null when this process runs no UDP server
     */
    ServerCollector(Supplier<TcpStats> tcp, Supplier<UdpStats> udp, String version) {
        this.tcp = tcp;
        this.udp = udp;
        this.version = version;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> all = new ArrayList<>();
        all.add(InfoSnapshot.builder().name("upcase_build").help("The running upcase's version; always 1.")
                .dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("version", version)).build())
                .build());
        TcpStats t = tcp == null ? null : tcp.get();
        UdpStats u = udp == null ? null : udp.get();
        CounterSnapshot.Builder bytesIn = CounterSnapshot.builder().name("upcase_received_bytes").unit(Unit.BYTES)
                .help("Payload bytes received, by protocol.");
        CounterSnapshot.Builder bytesOut = CounterSnapshot.builder().name("upcase_sent_bytes").unit(Unit.BYTES)
                .help("Payload bytes sent, by protocol.");
        if (t != null) {
            tcp(t, all);
            bytesIn.dataPoint(counter(t.bytesIn(), "protocol", "tcp"));
            bytesOut.dataPoint(counter(t.bytesOut(), "protocol", "tcp"));
        }
        if (u != null) {
            udp(u, all);
            bytesIn.dataPoint(counter(u.bytesIn(), "protocol", "udp"));
            bytesOut.dataPoint(counter(u.bytesOut(), "protocol", "udp"));
        }
        all.add(bytesIn.build());
        all.add(bytesOut.build());
        return new MetricSnapshots(all);
    }

    private static void tcp(TcpStats s, List<MetricSnapshot> all) {
        all.add(counter("upcase_tcp_connections_accepted", "TCP connections accepted and served.", s.accepted()));
        all.add(byReason("upcase_tcp_connections_refused",
                "TCP connections closed as soon as they were accepted, by reason.", s.refusals(), r -> r.label()));
        all.add(byReason("upcase_tcp_connections_closed", "Served TCP connections closed, by reason.",
                s.closes(), r -> r.label()));
        all.add(GaugeSnapshot.builder().name("upcase_tcp_connections_active").help("TCP connections open now.")
                .dataPoint(GaugeDataPointSnapshot.builder().value(s.open()).build()).build());
        all.add(counter("upcase_tcp_lines_received", "Line feeds received over TCP; each line is answered.", s.lines()));
        all.add(durations(s.durations(), "upcase_tcp_connection_duration_seconds",
                "How long served TCP connections lasted, from accept to close."));
        all.add(durations(s.tlsHandshakes(), "upcase_tcp_tls_handshake_duration_seconds",
                "TLS handshakes completed, by how long each took from the accept; failed ones are refusals"
                        + " (reason tls_handshake, handshake_timeout)."));
        all.add(counter("upcase_tcp_replies_delayed", "TCP replies (one per read answered) held back by --delay/--jitter.",
                s.delayedReplies()));
    }

    private static void udp(UdpStats s, List<MetricSnapshot> all) {
        all.add(counter("upcase_udp_datagrams_received", "UDP datagrams received.", s.received()));
        all.add(counter("upcase_udp_datagrams_answered", "UDP datagrams answered with a reply.", s.repliesSent()));
        all.add(byReason("upcase_udp_datagrams_dropped", "UDP datagrams received and not answered, by reason.",
                s.drops(), d -> d.label()));
        all.add(counter("upcase_udp_replies_delayed", "UDP replies held back by --delay/--jitter.", s.delayed()));
    }

    private static HistogramSnapshot durations(DurationHistogram h, String name, String help) {
        double[] bounds = h.upperBoundsSeconds().stream().mapToDouble(Double::doubleValue).toArray();
        long[] counts = h.counts().stream().mapToLong(Long::longValue).toArray();
        return HistogramSnapshot.builder().name(name).unit(Unit.SECONDS).help(help)
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(h.sumSeconds())
                        .build())
                .build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterDataPointSnapshot counter(long value, String label, String labelValue) {
        return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(label, labelValue)).build();
    }

    /** One series per reason, zeros included, so that rate() works from the first scrape. */
    private static <E> CounterSnapshot byReason(String name, String help, Map<E, Long> counts, Function<E, String> label) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        counts.forEach((reason, n) -> b.dataPoint(counter(n, "reason", label.apply(reason))));
        return b.build();
    }
}
