package upcase.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.proxy.ProxyClients.exchange;
import static upcase.support.Lines.readAll;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.Eventually;
import upcase.support.Scrape;
import upcase.support.UpcaseProcess;

/**
 * A real {@code upcase tcp-server --proxy-protocol} process: each kind of PROXY refusal on
 * /metrics as {@code upcase_tcp_connections_refused_total{reason=...}}, in the stop summary, and
 * one warning line each; served connections are not refusals (docs/OPERATIONS.md §Metrics).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProxyRefusalsProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Socket connect(String source, int port) throws IOException {
        return ProxyClients.connectFrom(source, new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port));
    }

    private static long refused(int metricsPort, String reason) throws Exception {
        return Scrape.value(Scrape.metrics(metricsPort), "upcase_tcp_connections_refused_total{reason=\"" + reason + "\"}");
    }

    @Test
    void everyRefusalIsCountedOnMetricsAndInTheSummary() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--port", "0", "--bind", "127.0.0.1",
                "--metrics", "127.0.0.1:0", "--proxy-protocol", "--proxy-trusted", "127.0.0.1/32",
                "--handshake-timeout", "1s")) {
            int port = server.awaitListening("tcp");
            int metricsPort = server.awaitListening("metrics");
            try (Socket silent = connect("127.0.0.1", port)) {
                assertThat(readAll(silent.getInputStream())).as("closed by the handshake timeout").isEmpty();
            }
            // Each connected only now: a trusted connection has a second from its accept.
            try (Socket forged = connect("127.0.0.2", port)) {
                assertThat(exchange(forged, Headers.ascii("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\nhi\n"))).isEmpty();
            }
            try (Socket malformed = connect("127.0.0.1", port)) {
                assertThat(exchange(malformed, Headers.ascii("PROXY TCP9 nonsense\r\nhi\n"))).isEmpty();
            }
            try (Socket direct = connect("127.0.0.2", port)) {
                assertThat(exchange(direct, Headers.ascii("direct\n"))).isEqualTo(Headers.ascii("DIRECT\n"));
            }
            try (Socket proxied = connect("127.0.0.1", port)) {
                assertThat(exchange(proxied, Headers.ascii("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\nvia\n")))
                        .isEqualTo(Headers.ascii("VIA\n"));
            }
            Eventually.await("three refusals", WAIT, () -> {
                try {
                    return refused(metricsPort, "proxy_header") == 1 && refused(metricsPort, "proxy_untrusted") == 1
                            && refused(metricsPort, "handshake_timeout") == 1;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            String page = Scrape.metrics(metricsPort);
            assertThat(Scrape.value(page, "upcase_tcp_connections_refused_total{reason=\"max_connections\"}")).isZero();
            assertThat(Scrape.value(page, "upcase_tcp_connections_accepted_total")).isEqualTo(2);
            server.terminate();
            assertThat(server.awaitExit(WAIT)).isZero();
            List<String> stderr = server.stderr();
            assertThat(stderr).filteredOn(l -> l.contains("refused a connection from 127.0.0.2")).hasSize(1)
                    .allMatch(l -> l.contains("not in --proxy-trusted"));
            assertThat(stderr).filteredOn(l -> l.contains("--handshake-timeout")).hasSize(1);
            assertThat(stderr.getLast()).contains("tcp 2 connections (3 refused)");
        }
    }
}
