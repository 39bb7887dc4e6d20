package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.bench.BenchRun.figure;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.cli.Main;
import upcase.support.Eventually;
import upcase.support.Descriptors;
import upcase.support.NativeEngines;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/**
 * {@code bench udp} on each engine, {@code --engine nio} and {@code --engine epoll} (batches of
 * sendmmsg/recvmmsg; skipped, with the reason, where the native calls do not work): every reply
 * checked, corruption and loss counted, nothing left open.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Isolated // counts this JVM's open descriptors: no other test class runs meanwhile
class BenchUdpEngineTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static UdpServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        server = UdpServer.start(new UdpServerConfig(LOOPBACK, UpperCase.unicode()));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private Path json() {
        return dir.resolve("bench-" + System.nanoTime() + ".json");
    }

    private static int port() {
        return server.localAddress().getPort();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void everyReplyIsCheckedAndTheReportNamesTheEngine(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        Path json = json();
        BenchRun run = BenchRun.of("bench", "udp", "127.0.0.1", port(), "--sockets", 8, "--depth", 4, "--threads", 2,
                "--duration", "300ms", "--warmup", "0s", "--timeout", "5s", "--engine", engine, "--json", json)
                .exits(Main.OK);
        assertThat(figure(json, "verified")).isPositive().isEqualTo(figure(json, "sent"));
        assertThat(figure(json, "mismatches")).isZero();
        assertThat(figure(json, "errors")).isZero();
        assertThat(figure(json, "lost")).isZero();
        assertThat(Files.readString(json)).contains("\"engine\": \"" + engine + "\"");
        assertThat(run.stdout()).containsPattern("engine +" + engine);
    }

    /** One byte of every reply turned back to lower case, past the tag: every reply is wrong, none passes. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aServerThatCorruptsOneByteIsCaught(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        try (Peers.Peer corrupting = Peers.udpReplies(datagram -> {
            byte[] upper = UpperCase.unicode().apply(datagram);
            upper[20] = (byte) (upper[20] ^ 0x20);
            return upper;
        })) {
            Path json = json();
            BenchRun run = BenchRun.of("bench", "udp", "127.0.0.1", corrupting.port(), "--sockets", 2, "--depth", 4,
                    "--size", 30, "--duration", "300ms", "--warmup", "0s", "--timeout", "5s", "--engine", engine,
                    "--json", json).exits(Main.FAILURE);
            assertThat(figure(json, "mismatches")).isPositive().isEqualTo(figure(json, "sent"));
            assertThat(figure(json, "verified")).isZero();
            assertThat(run.stdout()).contains("FAILED", "mismatched replies");
        }
    }

    /** Nothing listens: every datagram is lost by the timeout (ICMP refusals counted as errors), and the run ends. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void anAbsentServerLosesEverythingWithoutAHang(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        int closed;
        try (DatagramSocket gone = new DatagramSocket(LOOPBACK)) {
            closed = gone.getLocalPort();
        }
        Path json = json();
        long start = System.nanoTime();
        BenchRun.of("bench", "udp", "127.0.0.1", closed, "--sockets", 2, "--depth", 2, "--duration", "200ms",
                "--warmup", "0s", "--timeout", "200ms", "--engine", engine, "--json", json).exits(Main.FAILURE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(figure(json, "sent")).isPositive();
        assertThat(figure(json, "lost")).isEqualTo(figure(json, "sent"));
        assertThat(figure(json, "verified")).isZero();
        assertThat(figure(json, "loss_percent")).isEqualTo(100);
    }

    /** A server stopped once the run is under way: what it never answered is lost by the timeout, and the run ends. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aServerStoppedMidRunShowsLoss(String engine) throws Exception {
        NativeEngines.assumeEngine(engine);
        Path json = json();
        try (UdpServer stopping = UdpServer.start(new UdpServerConfig(LOOPBACK, UpperCase.unicode()))) {
            int port = stopping.localAddress().getPort();
            CompletableFuture<BenchRun> run = CompletableFuture.supplyAsync(() -> BenchRun.of("bench", "udp", "127.0.0.1",
                    port, "--sockets", 4, "--depth", 4, "--duration", "3s", "--warmup", "0s", "--timeout", "300ms",
                    "--engine", engine, "--json", json));
            Eventually.await("the server answering", Duration.ofSeconds(20), () -> stopping.stats().repliesSent() > 100);
            stopping.close();
            run.get(60, TimeUnit.SECONDS).exits(Main.FAILURE);
        }
        assertThat(figure(json, "verified")).isPositive();
        assertThat(figure(json, "lost")).isPositive();
        assertThat(figure(json, "mismatches")).isZero();
        assertThat(figure(json, "verified") + figure(json, "lost")).isEqualTo(figure(json, "sent"));
    }

    /** The scenario: 512 datagrams in flight, every one answered and checked. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void sixtyFourSocketsAtDepthEightAreExact(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        Path json = json();
        BenchRun.of("bench", "udp", "127.0.0.1", port(), "--sockets", 64, "--depth", 8, "--threads", 2,
                "--duration", "500ms", "--warmup", "0s", "--timeout", "10s", "--engine", engine, "--json", json)
                .exits(Main.OK);
        assertThat(figure(json, "sent")).isGreaterThanOrEqualTo(512);
        assertThat(figure(json, "verified")).isEqualTo(figure(json, "sent"));
        assertThat(figure(json, "lost")).isZero();
        assertThat(figure(json, "late")).isZero();
        assertThat(figure(json, "errors")).isZero();
        assertThat(figure(json, "mismatches")).isZero();
    }

    /** The generator's sockets, epoll instances, eventfds and arenas are all closed after a run: this JVM's count comes back. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aRunLeavesNoDescriptorOpen(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        // A first run: whatever the JDK opens once (selector providers, pollers) is open before the baseline.
        BenchRun.of("bench", "udp", "127.0.0.1", port(), "--sockets", 2, "--duration", "100ms", "--warmup", "0s",
                "--engine", engine).exits(Main.OK);
        long before = Descriptors.open();
        BenchRun.of("bench", "udp", "127.0.0.1", port(), "--sockets", 100, "--depth", 2, "--threads", 2,
                "--duration", "300ms", "--warmup", "0s", "--timeout", "5s", "--engine", engine).exits(Main.OK);
        assertThat(Descriptors.open()).isLessThanOrEqualTo(before);
    }
}
