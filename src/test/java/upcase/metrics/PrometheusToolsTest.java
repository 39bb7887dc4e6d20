package upcase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.support.Eventually;
import upcase.support.Scrape;
import upcase.support.Tool;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.udp.UdpServer;

/** The exposition checked by Prometheus's own tools: promtool's linter, and a real Prometheus scraping upcase. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrometheusToolsTest {
    private static final InetAddress LOOPBACK = MonitoredServers.LOOPBACK;
    private static final Pattern QUERY_VALUE = Pattern.compile("\"value\":\\[[0-9.e+]+,\"([^\"]+)\"\\]");

    private MonitoredServers servers;
    private TcpServer tcp;
    private UdpServer udp;
    private MetricsServer metrics;

    @BeforeEach
    void start() throws IOException {
        servers = MonitoredServers.start(TcpServerConfig.DEFAULT_MAX_CONNECTIONS, "1.2.3");
        tcp = servers.tcp;
        udp = servers.udp;
        metrics = servers.metrics;
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    @Test
    void promtoolFindsNothingToLintInTheTextFormat(@TempDir Path dir) throws Exception {
        Path promtool = Tool.require("promtool", "prometheus");
        traffic(3, 2);
        Path page = dir.resolve("metrics.txt");
        Files.writeString(page, Scrape.metrics(metrics.localAddress().getPort()));
        Path out = dir.resolve("promtool.out");
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(page.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // promtool prints nothing and exits 0 when every metric passes its lint (names, units, help).
        assertThat(Files.readString(out)).isEmpty();
        assertThat(check.exitValue()).isZero();
    }

    @Test
    void aRealPrometheusScrapesUpcaseAndReadsTheTrafficBack(@TempDir Path dir) throws Exception {
        Path prometheus = Tool.require("prometheus", "prometheus");
        int connections = 6;
        int datagrams = 4;
        traffic(connections, datagrams);
        int webPort = freePort(); // prometheus refuses port 0
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: upcase
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(metrics.localAddress().getPort()));
        Process server = new ProcessBuilder(prometheus.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + webPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            // Prometheus asks for OpenMetrics first, so this also checks that format end to end.
            Eventually.await("prometheus has scraped upcase", Duration.ofSeconds(90),
                    () -> "1".equals(query(webPort, "up{job=\"upcase\"}")));
            Eventually.await("the counters through prometheus", Duration.ofSeconds(30),
                    () -> String.valueOf(connections).equals(query(webPort, "upcase_tcp_connections_accepted_total")));
            assertThat(query(webPort, "upcase_udp_datagrams_received_total")).isEqualTo(String.valueOf(datagrams));
            assertThat(query(webPort, "upcase_tcp_connections_closed_total{reason=\"client\"}")).isEqualTo(String.valueOf(connections));
            assertThat(query(webPort, "upcase_received_bytes_total{protocol=\"udp\"}")).isEqualTo(String.valueOf(3 * datagrams));
            assertThat(query(webPort, "upcase_tcp_connection_duration_seconds_count")).isEqualTo(String.valueOf(connections));
            assertThat(query(webPort, "upcase_build_info")).isEqualTo("1");
        } finally {
            server.destroy(); // SIGTERM to the PID we started
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** N connections with one line each, all closed; M datagrams of "abc", all answered. */
    private void traffic(int connections, int datagrams) throws IOException {
        for (int i = 0; i < connections; i++) {
            try (Socket s = new Socket(LOOPBACK, tcp.localAddress().getPort())) {
                s.getOutputStream().write(utf8("x\n"));
                assertThat(readExactly(s.getInputStream(), 2)).isEqualTo(utf8("X\n"));
            }
        }
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(5_000);
            for (int i = 0; i < datagrams; i++) {
                client.send(new DatagramPacket(utf8("abc"), 3, LOOPBACK, udp.localAddress().getPort()));
                client.receive(new DatagramPacket(new byte[10], 10));
            }
        }
        Eventually.await("every connection closed", Duration.ofSeconds(10), () -> tcp.stats().closed() == connections);
    }

    /** The single value of an instant query, or null while Prometheus has none (or is not up yet). */
    private static String query(int webPort, String promql) {
        try {
            var response = Scrape.get(webPort, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), null);
            Matcher m = QUERY_VALUE.matcher(response.body());
            return response.statusCode() == 200 && m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }
}
