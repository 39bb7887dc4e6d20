package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.bench.BenchRun.figure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.cli.Main;
import upcase.support.Eventually;
import upcase.support.Descriptors;
import upcase.support.NativeEngines;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;

/**
 * {@code bench tcp} (and {@code bench idle}) on each engine, {@code --engine nio} and
 * {@code --engine epoll} (skipped, with the reason, where the native calls do not work): the same
 * verdicts and counts from the same servers, and on epoll no descriptor left behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Isolated // counts this JVM's open descriptors: no other test class runs meanwhile
class BenchEngineTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static TcpServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        server = TcpServer.start(TcpServerConfig.defaults(LOOPBACK));
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
        BenchRun run = BenchRun.of("bench", "tcp", "127.0.0.1", port(), "--connections", 8, "--depth", 4, "--threads", 2,
                "--duration", "300ms", "--warmup", "0s", "--engine", engine, "--json", json).exits(Main.OK);
        assertThat(figure(json, "verified")).isPositive().isEqualTo(figure(json, "sent"));
        assertThat(figure(json, "mismatches")).isZero();
        assertThat(figure(json, "errors")).isZero();
        assertThat(Files.readString(json)).contains("\"engine\": \"" + engine + "\"");
        assertThat(run.stdout()).containsPattern("engine +" + engine);
    }

    /** One byte of every reply turned back to lower case, past the first ten: every reply is wrong, none passes. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aServerThatCorruptsOneByteIsCaught(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        try (Peers.Peer corrupting = Peers.tcpLines(line -> {
            byte[] upper = UpperCase.unicode().apply(line);
            upper[10] = (byte) (upper[10] ^ 0x20);
            return upper;
        })) {
            Path json = json();
            BenchRun run = BenchRun.of("bench", "tcp", "127.0.0.1", corrupting.port(), "--connections", 2, "--depth", 4,
                    "--size", 30, "--duration", "300ms", "--warmup", "0s", "--engine", engine, "--json", json)
                    .exits(Main.FAILURE);
            assertThat(figure(json, "mismatches")).isPositive().isEqualTo(figure(json, "sent"));
            assertThat(figure(json, "verified")).isZero();
            assertThat(run.stdout()).contains("FAILED", "mismatched replies");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void refusedConnectionsAreCounted(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        Path json = json();
        BenchRun run = BenchRun.of("bench", "tcp", "127.0.0.1", Peers.closedPort(), "--connections", 3,
                "--duration", "200ms", "--warmup", "0s", "--engine", engine, "--json", json).exits(Main.FAILURE);
        assertThat(figure(json, "connect_failures")).isEqualTo(3);
        assertThat(figure(json, "connections_opened")).isZero();
        assertThat(run.stdout()).contains("3 x connect: Connection refused", "0 of 3 opened, 3 failed");
    }

    /**
     * A listener that never accepts, its queue filled first: Linux then drops the SYNs of further
     * connects, which hang until the generator's timeout counts them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aConnectThatHangsIsCountedAtTheTimeout(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        try (ServerSocket deaf = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> filling = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) { // a backlog of 1 queues 2 (backlog + 1)
                    filling.add(new Socket(deaf.getInetAddress(), deaf.getLocalPort()));
                }
                Path json = json();
                BenchRun run = BenchRun.of("bench", "tcp", "127.0.0.1", deaf.getLocalPort(), "--connections", 3,
                        "--duration", "200ms", "--warmup", "0s", "--timeout", "300ms", "--engine", engine, "--json", json)
                        .exits(Main.FAILURE);
                assertThat(figure(json, "connect_failures")).isEqualTo(3);
                assertThat(run.stdout()).contains("connect: no answer within 300ms");
            } finally {
                for (Socket s : filling) {
                    s.close();
                }
            }
        }
    }

    /** Twice the JDK selector's 1,024 events per wait, every connection opened and every line answered. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void twoThousandConnectionsAtDepthFourAreAllOpenedAndAnswered(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        long limit = maxOpenFiles();
        // Both ends of every connection are in this JVM.
        Assumptions.assumeTrue(limit > 4_500, () -> "needs 4,500 descriptors; the limit is " + limit);
        Path json = json();
        BenchRun.of("bench", "tcp", "127.0.0.1", port(), "--connections", 2_000, "--depth", 4, "--threads", 2,
                "--duration", "1s", "--warmup", "0s", "--timeout", "30s", "--engine", engine, "--json", json)
                .exits(Main.OK);
        assertThat(figure(json, "connections_opened")).isEqualTo(2_000);
        // Each connection's first four lines leave at the start; none unanswered (errors would count it).
        assertThat(figure(json, "verified")).isGreaterThanOrEqualTo(8_000).isEqualTo(figure(json, "sent"));
        assertThat(figure(json, "errors")).isZero();
        assertThat(figure(json, "mismatches")).isZero();
    }

    /** The generator's sockets, epoll instances and eventfds are all closed after a run: this JVM's count comes back. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aRunLeavesNoDescriptorOpen(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        // A first run: whatever the JDK opens once (selector providers, pollers) is open before the baseline.
        BenchRun.of("bench", "tcp", "127.0.0.1", port(), "--connections", 2, "--duration", "100ms", "--warmup", "0s",
                "--engine", engine).exits(Main.OK);
        Eventually.await("the first run's connections closed by the server", Duration.ofSeconds(20),
                () -> server.stats().open() == 0);
        long before = Descriptors.open();
        BenchRun.of("bench", "tcp", "127.0.0.1", port(), "--connections", 200, "--depth", 2, "--threads", 2,
                "--duration", "300ms", "--warmup", "0s", "--engine", engine).exits(Main.OK);
        // The server's ends close once it reads the generator's FINs, on its own threads.
        Eventually.await("descriptors back to " + before, Duration.ofSeconds(20),
                () -> server.stats().open() == 0 && Descriptors.open() <= before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void idleHoldsItsConnectionsOnEitherEngine(String engine) throws IOException {
        NativeEngines.assumeEngine(engine);
        Path json = json();
        BenchRun.of("bench", "idle", "127.0.0.1", port(), "--connections", 50, "--hold", "200ms", "--engine", engine,
                "--json", json).exits(Main.OK);
        assertThat(figure(json, "held")).isEqualTo(50);
        assertThat(Files.readString(json)).contains("\"engine\": \"" + engine + "\"");
    }

    @Test
    void tlsOnEpollIsAUsageErrorOfOneLine() {
        BenchRun run = BenchRun.of("bench", "tcp", "127.0.0.1", port(), "--tls", "--insecure", "--engine", "epoll")
                .exits(Main.USAGE);
        assertThat(run.stderr()).startsWith("upcase: --tls runs on the nio engine only").hasLineCount(1);
    }

    @Test
    void anUnknownEngineIsAUsageError() {
        BenchRun run = BenchRun.of("bench", "tcp", "127.0.0.1", port(), "--engine", "kqueue").exits(Main.USAGE);
        assertThat(run.stderr()).contains("expected auto, nio, epoll, io_uring, not 'kqueue'");
    }

    /** io_uring is a server engine (UDP): the generator refuses it rather than run on another engine unasked. */
    @Test
    void ioUringIsAUsageErrorOfOneLine() {
        BenchRun run = BenchRun.of("bench", "udp", "127.0.0.1", port(), "--engine", "io_uring").exits(Main.USAGE);
        assertThat(run.stderr()).startsWith("upcase: the generator has no io_uring engine").hasLineCount(1);
    }

    private static long maxOpenFiles() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        return Long.MAX_VALUE;
    }
}
