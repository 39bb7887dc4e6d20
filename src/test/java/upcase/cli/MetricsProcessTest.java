package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.Eventually;
import upcase.support.Scrape;
import upcase.support.UpcaseProcess;

/** --metrics and --drain-delay on a real process: signals, exit codes, the stop summary (docs/OPERATIONS.md). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MetricsProcessTest {
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern SUMMARY = Pattern.compile(
            "upcase: stopped: tcp (\\d+) connections \\((\\d+) refused\\), (\\d+) lines, (\\d+) bytes in, (\\d+) bytes out; "
                    + "udp (\\d+) datagrams \\((\\d+) answered, (\\d+) dropped\\), (\\d+) bytes in, (\\d+) bytes out");

    @Test
    void metricsReadBackNConnectionsAndMDatagramsAndAgreeWithTheStopSummary() throws Exception {
        int connections = 4;
        int datagrams = 3;
        try (UpcaseProcess server = UpcaseProcess.start("server", "--tcp-port", "0", "--udp-port", "0",
                "--bind", "127.0.0.1", "--metrics", "127.0.0.1:0")) {
            int tcpPort = server.awaitListening("tcp");
            int udpPort = server.awaitListening("udp");
            int metricsPort = server.awaitListening("metrics");
            for (int i = 0; i < connections; i++) {
                try (Socket s = new Socket(LOOPBACK, tcpPort)) {
                    s.getOutputStream().write(utf8("hello\n"));
                    assertThat(readExactly(s.getInputStream(), 6)).isEqualTo(utf8("HELLO\n"));
                }
            }
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.setSoTimeout(5_000);
                for (int i = 0; i < datagrams; i++) {
                    byte[] payload = utf8("hi udp");
                    udp.send(new DatagramPacket(payload, payload.length, LOOPBACK, udpPort));
                    udp.receive(new DatagramPacket(new byte[100], 100));
                }
            }
            Eventually.await("every connection closed", Duration.ofSeconds(20), () -> closedConnections(metricsPort) == connections);
            String page = Scrape.metrics(metricsPort);
            assertThat(Scrape.value(page, "upcase_tcp_connections_accepted_total")).isEqualTo(connections);
            assertThat(Scrape.value(page, "upcase_udp_datagrams_received_total")).isEqualTo(datagrams);

            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
            String summary = server.stderr().getLast();
            Matcher m = SUMMARY.matcher(summary);
            assertThat(m.matches()).as(summary).isTrue();
            assertThat(Long.parseLong(m.group(1))).isEqualTo(Scrape.value(page, "upcase_tcp_connections_accepted_total"));
            assertThat(Long.parseLong(m.group(2))).isEqualTo(Scrape.value(page, "upcase_tcp_connections_refused_total{reason=\"max_connections\"}"));
            assertThat(Long.parseLong(m.group(3))).isEqualTo(Scrape.value(page, "upcase_tcp_lines_received_total"));
            assertThat(Long.parseLong(m.group(4))).isEqualTo(Scrape.value(page, "upcase_received_bytes_total{protocol=\"tcp\"}"));
            assertThat(Long.parseLong(m.group(5))).isEqualTo(Scrape.value(page, "upcase_sent_bytes_total{protocol=\"tcp\"}"));
            assertThat(Long.parseLong(m.group(6))).isEqualTo(Scrape.value(page, "upcase_udp_datagrams_received_total"));
            assertThat(Long.parseLong(m.group(7))).isEqualTo(Scrape.value(page, "upcase_udp_datagrams_answered_total"));
            assertThat(Long.parseLong(m.group(9))).isEqualTo(Scrape.value(page, "upcase_received_bytes_total{protocol=\"udp\"}"));
            assertThat(Long.parseLong(m.group(10))).isEqualTo(Scrape.value(page, "upcase_sent_bytes_total{protocol=\"udp\"}"));
        }
    }

    @Test
    void duringTheDrainDelayReadinessIs503AndNewConnectionsAreStillServed() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start(Map.of("UPCASE_METRICS", "127.0.0.1:0"),
                "tcp-server", "--port", "0", "--bind", "127.0.0.1", "--drain-delay", "4s")) {
            int tcpPort = server.awaitListening("tcp");
            int metricsPort = server.awaitListening("metrics");
            assertThat(Scrape.status(metricsPort, "/health/ready")).isEqualTo(200);
            assertThat(Scrape.status(metricsPort, "/health/live")).isEqualTo(200);

            server.terminate();
            server.awaitLine("(--drain-delay)", Duration.ofSeconds(20));
            int served = 0;
            for (int i = 0; i < 5; i++) {
                // Each new connection is opened while readiness already says 503.
                assertThat(Scrape.status(metricsPort, "/health/ready")).isEqualTo(503);
                assertThat(Scrape.status(metricsPort, "/health/live")).isEqualTo(200);
                try (Socket s = new Socket(LOOPBACK, tcpPort)) {
                    s.getOutputStream().write(utf8("during the delay\n"));
                    assertThat(readExactly(s.getInputStream(), 17)).isEqualTo(utf8("DURING THE DELAY\n"));
                    served++;
                }
            }
            assertThat(server.awaitExit(EXIT)).isZero();
            assertThat(server.stderr()).last().asString().startsWith("upcase: stopped: tcp " + served + " connections (0 refused)");
        }
    }

    @Test
    void aSecondSignalDuringTheDrainDelayStopsAtOnce() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--port", "0", "--bind", "127.0.0.1",
                "--drain-delay", "10m")) {
            server.awaitListening("tcp");
            server.terminate();
            server.awaitLine("(--drain-delay)", Duration.ofSeconds(20));
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isEqualTo(Main.FAILURE); // long before the ten minutes
        }
    }

    @Test
    void udpServerHasMetricsTooAndABadAddressIsAUsageError() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("udp-server", "--port", "0", "--bind", "127.0.0.1",
                "--metrics", "[::1]:0")) {
            server.awaitListening("udp");
            String line = server.awaitLine("metrics listening on", Duration.ofSeconds(20));
            assertThat(line).startsWith("upcase: metrics listening on [::1]:");
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--port", "0", "--metrics", "9900")) {
            assertThat(server.awaitExit(EXIT)).isEqualTo(Main.USAGE);
            assertThat(server.stderr()).anySatisfy(l -> assertThat(l).contains("'9900' is not ADDR:PORT"));
        }
    }

    private static long closedConnections(int metricsPort) {
        try {
            return Scrape.value(Scrape.metrics(metricsPort), "upcase_tcp_connections_closed_total{reason=\"client\"}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
