package upcase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.Eventually;
import upcase.support.Scrape;
import upcase.tcp.CloseReason;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpStats;
import upcase.udp.UdpServer;
import upcase.udp.UdpStats;

/** The --metrics listener in this JVM, in front of real TCP and UDP servers on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsServerTest {
    private static final InetAddress LOOPBACK = MonitoredServers.LOOPBACK;

    private MonitoredServers servers;
    private TcpServer tcp;
    private UdpServer udp;
    private AtomicBoolean ready;
    private int port;

    @BeforeEach
    void start() throws IOException {
        // One connection at a time, so that a second one held open is refused (max_connections).
        servers = MonitoredServers.start(1, "9.9.9");
        tcp = servers.tcp;
        udp = servers.udp;
        ready = servers.ready;
        port = servers.metricsPort();
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    @Test
    void everyCounterAgreesExactlyWithTheTrafficThatCausedIt() throws Exception {
        int connections = 7;
        int datagrams = 5;
        for (int i = 0; i < connections; i++) {
            try (Socket s = new Socket(LOOPBACK, tcp.localAddress().getPort())) {
                s.getOutputStream().write(utf8("line " + i + "\n"));
                assertThat(readExactly(s.getInputStream(), 7)).isEqualTo(utf8("LINE " + i + "\n"));
            }
            int closed = i + 1; // the server must see this close before the next connection fits
            Eventually.await("connection " + i + " closed", Duration.ofSeconds(10), () -> tcp.stats().closed() == closed);
        }
        try (Socket held = new Socket(LOOPBACK, tcp.localAddress().getPort())) {
            held.getOutputStream().write(utf8("held\n"));
            assertThat(readExactly(held.getInputStream(), 5)).isEqualTo(utf8("HELD\n"));
            try (Socket refused = new Socket(LOOPBACK, tcp.localAddress().getPort())) {
                // Closed at once, over --max-connections: the test waits for the count below.
                refused.setSoTimeout(10_000);
            }
            Eventually.await("the refusal counted", Duration.ofSeconds(10), () -> tcp.stats().refused() == 1);
            assertThat(Scrape.value(Scrape.metrics(port), "upcase_tcp_connections_active")).isEqualTo(1);
        }
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(5_000);
            for (int i = 0; i < datagrams; i++) {
                byte[] payload = utf8("datagram " + i);
                client.send(new DatagramPacket(payload, payload.length, LOOPBACK, udp.localAddress().getPort()));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                client.receive(reply);
                assertThat(reply.getLength()).isEqualTo(payload.length);
            }
        }
        Eventually.await("every connection closed", Duration.ofSeconds(10), () -> tcp.stats().closed() == connections + 1);

        String page = Scrape.metrics(port);
        assertThat(Scrape.value(page, "upcase_tcp_connections_accepted_total")).isEqualTo(connections + 1);
        assertThat(Scrape.value(page, "upcase_tcp_connections_refused_total{reason=\"max_connections\"}")).isEqualTo(1);
        assertThat(Scrape.value(page, "upcase_tcp_connections_closed_total{reason=\"client\"}")).isEqualTo(connections + 1);
        assertThat(Scrape.value(page, "upcase_tcp_connections_closed_total{reason=\"idle_timeout\"}")).isZero();
        assertThat(Scrape.value(page, "upcase_tcp_connections_active")).isZero();
        assertThat(Scrape.value(page, "upcase_tcp_lines_received_total")).isEqualTo(connections + 1);
        assertThat(Scrape.value(page, "upcase_received_bytes_total{protocol=\"tcp\"}")).isEqualTo(7 * connections + 5);
        assertThat(Scrape.value(page, "upcase_sent_bytes_total{protocol=\"tcp\"}")).isEqualTo(7 * connections + 5);
        assertThat(Scrape.value(page, "upcase_tcp_connection_duration_seconds_count")).isEqualTo(connections + 1);
        assertThat(Scrape.value(page, "upcase_tcp_connection_duration_seconds_bucket{le=\"+Inf\"}")).isEqualTo(connections + 1);
        assertThat(Scrape.value(page, "upcase_udp_datagrams_received_total")).isEqualTo(datagrams);
        assertThat(Scrape.value(page, "upcase_udp_datagrams_answered_total")).isEqualTo(datagrams);
        assertThat(Scrape.value(page, "upcase_udp_datagrams_dropped_total{reason=\"loop_guard\"}")).isZero();
        assertThat(Scrape.value(page, "upcase_received_bytes_total{protocol=\"udp\"}")).isEqualTo(10L * datagrams);
        assertThat(Scrape.value(page, "upcase_sent_bytes_total{protocol=\"udp\"}")).isEqualTo(10L * datagrams);
        assertThat(Scrape.value(page, "upcase_build_info{version=\"9.9.9\"}")).isEqualTo(1);
        assertThat(page).contains("jvm_memory_used_bytes", "jvm_threads_current");

        // The stop summary is made from these same snapshots.
        TcpStats t = tcp.stats();
        UdpStats u = udp.stats();
        assertThat(t.closes().get(CloseReason.CLIENT)).isEqualTo(connections + 1);
        assertThat(t.bytesIn()).isEqualTo(Scrape.value(page, "upcase_received_bytes_total{protocol=\"tcp\"}"));
        assertThat(u.received()).isEqualTo(datagrams);
        assertThat(u.dropped()).isZero();
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> open = Scrape.get(port, "/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(open.body()).contains("# TYPE upcase_tcp_connections_accepted counter").endsWith("# EOF\n");

        HttpResponse<String> text = Scrape.get(port, "/metrics", null);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(text.body()).doesNotContain("# EOF");
    }

    @Test
    void healthEndpointsAndErrors() throws Exception {
        assertThat(Scrape.status(port, "/health/live")).isEqualTo(200);
        assertThat(Scrape.status(port, "/health/ready")).isEqualTo(200);
        ready.set(false);
        assertThat(Scrape.status(port, "/health/ready")).isEqualTo(503);
        assertThat(Scrape.status(port, "/health/live")).isEqualTo(200);
        assertThat(Scrape.status(port, "/nowhere")).isEqualTo(404);
        assertThat(Scrape.status(port, "/metrics?name[]=x")).isEqualTo(200);
        assertThat(raw("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 405 ").contains("Allow: GET");
        assertThat(raw("GET http://example/health/live HTTP/1.0\n\n")).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void badInputGetsAnErrorAndTheServersDoNotNotice() throws Exception {
        // A TLS ClientHello, a bare line, a header line without a colon, an HTTP/2 preface.
        assertThat(raw("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\n\n")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("hello\n\n")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        // A head larger than the limit: 431, or a reset if the client is still sending when we close.
        String huge = "GET /metrics HTTP/1.1\r\nX-Junk: " + "a".repeat(MetricsConfig.DEFAULT_MAX_REQUEST_BYTES) + "\r\n\r\n";
        assertThat(rawOrReset(huge)).satisfiesAnyOf(
                reply -> assertThat(reply).startsWith("HTTP/1.1 431 "), reply -> assertThat(reply).isEqualTo("reset"));
        assertThat(Scrape.status(port, "/metrics")).isEqualTo(200);
        try (Socket s = new Socket(LOOPBACK, tcp.localAddress().getPort())) {
            s.getOutputStream().write(utf8("still here\n"));
            assertThat(readExactly(s.getInputStream(), 11)).isEqualTo(utf8("STILL HERE\n"));
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedAtTheDeadline() throws Exception {
        try (MetricsServer strict = MetricsServer.start(
                        new MetricsConfig(new InetSocketAddress(LOOPBACK, 0), 4, Duration.ofMillis(500), 1024),
                        tcp::stats, udp::stats, ready::get, "9.9.9");
                Socket silent = new Socket(LOOPBACK, strict.localAddress().getPort())) {
            silent.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** Sends {@code request} as bytes (ISO-8859-1) and returns what comes back until the server closes. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            return new String(readAll(s.getInputStream()), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private String rawOrReset(String request) {
        try {
            return raw(request);
        } catch (IOException e) {
            return "reset";
        }
    }
}
