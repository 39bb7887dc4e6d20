package upcase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.Eventually;
import upcase.support.Scrape;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;

/**
 * docs/OPERATIONS.md §Metrics: hundreds of slow clients (one header byte per second) and
 * oversized requests hold the metrics port, and a scraper still gets /metrics within a second,
 * the TCP service still answers, and the listener holds a bounded number of them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileScrapeClientsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SLOW_CLIENTS = 300;
    private static final int OVERSIZED_CLIENTS = 50;

    @Test
    void aScraperIsAnsweredWithinASecondWhileSlowAndOversizedClientsHoldThePort() throws Exception {
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        AtomicInteger slowClosedByServer = new AtomicInteger();
        AtomicInteger oversizedEnded = new AtomicInteger();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try (TcpServer tcp = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(LOOPBACK, 0)));
                MetricsServer metrics = MetricsServer.start(MetricsConfig.defaults(new InetSocketAddress(LOOPBACK, 0)),
                        tcp::stats, null, () -> true, "test")) {
            int port = metrics.localAddress().getPort();
            // A warm-up scrape before the attack: the first one in a JVM loads the writers and the
            // JVM collectors (and the test's HTTP client), which is start-up, not what is measured.
            assertThat(Scrape.status(port, "/metrics")).isEqualTo(200);
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Socket s = new Socket(LOOPBACK, port);
                sockets.add(s);
                slow.add(s);
                s.getOutputStream().write('G');
                Thread.ofVirtual().start(() -> {
                    try {
                        s.getInputStream().read(); // blocks until the server closes it
                    } catch (IOException closed) {
                        // a reset is a close too
                    }
                    slowClosedByServer.incrementAndGet();
                });
            }
            // Slowloris: one more header byte per second on every slow connection, forever.
            byte[] header = "ET /metrics HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
            AtomicInteger tick = new AtomicInteger();
            drip.scheduleAtFixedRate(() -> {
                int t = tick.getAndIncrement();
                byte next = t < header.length ? header[t] : (byte) 'a';
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write(next);
                    } catch (IOException closed) {
                        // closed by the server: the deadline, or evicted
                    }
                }
            }, 1, 1, TimeUnit.SECONDS);
            for (int i = 0; i < OVERSIZED_CLIENTS; i++) {
                Socket s = new Socket(LOOPBACK, port);
                sockets.add(s);
                Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write("GET /metrics HTTP/1.1\r\nX-Huge: ".getBytes(StandardCharsets.ISO_8859_1));
                        byte[] chunk = "a".repeat(16 * 1024).getBytes(StandardCharsets.ISO_8859_1);
                        for (int k = 0; k < 64; k++) { // 1 MiB of one header
                            out.write(chunk);
                        }
                        s.getInputStream().readAllBytes();
                    } catch (IOException closed) {
                        // 431 then close, or reset while still sending: either ends it
                    }
                    oversizedEnded.incrementAndGet();
                });
            }

            long started = System.nanoTime();
            int scrapes = 0;
            while (System.nanoTime() - started < Duration.ofSeconds(8).toNanos()) { // past the 5 s request deadline
                long t0 = System.nanoTime();
                HttpResponse<String> response = Scrape.get(port, "/metrics", null);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("upcase_tcp_connections_accepted_total");
                assertThat(took).as("scrape %d", scrapes).isLessThan(Duration.ofSeconds(1));
                try (Socket c = new Socket(LOOPBACK, tcp.localAddress().getPort())) {
                    c.getOutputStream().write(utf8("still serving\n"));
                    assertThat(readExactly(c.getInputStream(), 14)).isEqualTo(utf8("STILL SERVING\n"));
                }
                scrapes++;
                System.out.println("scrape " + scrapes + " took " + took.toMillis() + " ms");
                Thread.sleep(200); // pacing the scraper, as Prometheus's interval does; nothing waits on it
            }
            assertThat(scrapes).isGreaterThanOrEqualTo(5);
            Eventually.await("every oversized request ended", Duration.ofSeconds(20),
                    () -> oversizedEnded.get() == OVERSIZED_CLIENTS);
            // Held connections are bounded (the oldest go first), and the rest end at the deadline.
            Eventually.await("every slow client closed by the server", Duration.ofSeconds(20),
                    () -> slowClosedByServer.get() == SLOW_CLIENTS);
            assertThat(Scrape.value(Scrape.metrics(port), "upcase_tcp_connections_accepted_total")).isEqualTo(scrapes);
        } finally {
            drip.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void heldConnectionsAreBoundedByClosingTheOldest() throws Exception {
        int limit = 8;
        List<Socket> held = new ArrayList<>();
        AtomicInteger closedByServer = new AtomicInteger();
        try (MetricsServer metrics = MetricsServer.start(
                new MetricsConfig(new InetSocketAddress(LOOPBACK, 0), limit, Duration.ofMinutes(1), 1024),
                null, null, () -> true, "test")) {
            for (int i = 0; i < limit + 5; i++) {
                Socket s = new Socket(LOOPBACK, metrics.localAddress().getPort());
                held.add(s);
                Thread.ofVirtual().start(() -> {
                    try {
                        s.getInputStream().read();
                    } catch (IOException closed) {
                        // a reset is a close too
                    }
                    closedByServer.incrementAndGet();
                });
            }
            // Long before the one-minute deadline: the five oldest make room for the newest.
            Eventually.await("the five oldest closed", Duration.ofSeconds(20), () -> closedByServer.get() == 5);
            assertThat(Scrape.status(metrics.localAddress().getPort(), "/health/live")).isEqualTo(200);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
