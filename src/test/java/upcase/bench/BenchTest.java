package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.cli.Io;
import upcase.cli.Main;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/**
 * {@code upcase bench} through the command line, in-process, against upcase's own servers and
 * against deliberately wrong ones. Short runs: what is checked is counts, verdicts and figures,
 * never timings.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BenchTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static TcpServer tcp;
    private static UdpServer udp;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String json = "";

    @BeforeAll
    static void startServers() throws IOException {
        tcp = TcpServer.start(TcpServerConfig.defaults(LOOPBACK));
        udp = UdpServer.start(new UdpServerConfig(LOOPBACK, UpperCase.unicode()));
    }

    @AfterAll
    static void stopServers() {
        tcp.close();
        udp.close();
    }

    /** Runs {@code upcase bench ARGS --json FILE}; the JSON is then in {@link #json}. */
    private int bench(Object... args) throws IOException {
        Path file = dir.resolve("bench-" + System.nanoTime() + ".json");
        String[] argv = new String[args.length + 3];
        argv[0] = "bench";
        for (int i = 0; i < args.length; i++) {
            argv[i + 1] = String.valueOf(args[i]);
        }
        argv[args.length + 1] = "--json";
        argv[args.length + 2] = file.toString();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int status = Main.run(io, argv);
        json = Files.exists(file) ? Files.readString(file) : "";
        return status;
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A number from the JSON, by key (the first one with that key). */
    private double figure(String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9.Ee+-]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", key, json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static int port(TcpServer server) {
        return server.localAddress().getPort();
    }

    @Test
    void tcpPipelinedAgainstUpcaseIsRightAndReportsEveryFigure() throws IOException {
        int status = bench("tcp", "127.0.0.1", port(tcp), "--connections", 4, "--depth", 8, "--size", 100,
                "--duration", "1s", "--warmup", "100ms");
        assertThat(status).as(stdout() + stderr()).isEqualTo(Main.OK);
        assertThat(figure("replies")).isPositive();
        assertThat(figure("replies_per_s")).isPositive();
        assertThat(figure("mb_per_s")).isPositive();
        assertThat(figure("connections_opened")).isEqualTo(4);
        for (String key : new String[] {"p50", "p90", "p99", "p99_9", "max"}) {
            assertThat(figure(key)).as(key).isPositive();
        }
        for (String key : new String[] {"errors", "mismatches", "resets", "lost", "late", "connect_failures"}) {
            assertThat(figure(key)).as(key).isZero();
        }
        assertThat(figure("generator_cpu_percent")).isPositive();
        assertThat(figure("verified")).isEqualTo(figure("sent"));
        assertThat(json).contains("\"scenario\": \"tcp\"", "\"params\": {", "\"duration_s\"", "\"result\": \"ok\"");
        assertThat(stdout()).startsWith("upcase bench tcp 127.0.0.1:" + port(tcp)).contains("p99.9", "result           OK");
        assertThat(stderr()).contains("    1s ", " replies/s  p99 ");
        // One entry per progress second, stamped with the whole second it ends (docs/BENCH.md).
        Matcher seconds = Pattern.compile("\"t_s\": \\[([^\\]]*)\\]").matcher(json);
        assertThat(seconds.find()).as(json).isTrue();
        assertThat(seconds.group(1)).isEqualTo("1");
    }

    @Test
    void tcpAtAFixedRateMeasuresFromTheIntendedSendTime() throws IOException {
        int status = bench("tcp", "127.0.0.1", port(tcp), "--connections", 4, "--depth", 4, "--rate", 2000,
                "--threads", 2, "--duration", "500ms", "--warmup", "0s");
        assertThat(status).as(stdout() + stderr()).isEqualTo(Main.OK);
        // An open loop: never faster than the rate (plus the 16 lines that may be in flight at the start).
        assertThat(figure("replies")).isPositive();
        assertThat(figure("replies_per_s")).isLessThan(2000 + 16 / 0.5 + 1);
        assertThat(figure("threads")).isEqualTo(2);
        assertThat(json).contains("\"rate\": 2000", "\"unsent\"", "\"send_lag_us\"");
    }

    @Test
    void aServerThatDoesNotUppercaseMakesMismatchesAndExitOne() throws IOException {
        try (Peers.Peer echo = Peers.tcpLines(line -> line)) {
            int status = bench("tcp", "127.0.0.1", echo.port(), "--connections", 2, "--depth", 2, "--duration", "300ms",
                    "--warmup", "0s");
            assertThat(status).isEqualTo(Main.FAILURE);
            assertThat(figure("mismatches")).isPositive();
            assertThat(figure("replies")).isZero();
            assertThat(json).contains("\"result\": \"failed\"", "reply differs from the expected bytes");
            assertThat(stdout()).contains("FAILED", "mismatched replies");
        }
    }

    @Test
    void aServerThatDropsAByteMakesMismatchesOnlyWhereItDoes() throws IOException {
        // Every line of 20 or more bytes loses its tenth byte: the lines stay in step, each one is wrong.
        try (Peers.Peer dropping = Peers.tcpLines(line -> {
            byte[] upper = UpperCase.unicode().apply(line);
            if (upper.length < 20) {
                return upper;
            }
            byte[] shorter = Arrays.copyOf(upper, upper.length - 1);
            System.arraycopy(upper, 10, shorter, 9, upper.length - 10);
            return shorter;
        })) {
            int status = bench("tcp", "127.0.0.1", dropping.port(), "--connections", 1, "--depth", 4, "--size", 30,
                    "--duration", "300ms", "--warmup", "0s");
            assertThat(status).isEqualTo(Main.FAILURE);
            assertThat(figure("mismatches")).isPositive().isEqualTo(figure("sent"));
            assertThat(figure("errors")).isZero();
        }
    }

    @Test
    void asciiExpectationFitsAnAsciiServerOnlyWhenTheTextSaysSo() throws IOException {
        try (TcpServer ascii = TcpServer.start(TcpServerConfig.defaults(LOOPBACK).withTransform(UpperCase.ascii()))) {
            Object[] args = {"tcp", "127.0.0.1", port(ascii), "--connections", 1, "--duration", "200ms", "--warmup", "0s",
                    "--utf8"};
            assertThat(bench(args)).isEqualTo(Main.FAILURE);
            assertThat(figure("mismatches")).isPositive();
            Object[] withAscii = Arrays.copyOf(args, args.length + 1);
            withAscii[args.length] = "--ascii";
            assertThat(bench(withAscii)).as(stdout()).isEqualTo(Main.OK);
            assertThat(json).contains("\"expect\": \"ascii, utf8 text\"");
        }
    }

    @Test
    void refusedConnectionsAreCountedAndReported() throws IOException {
        int status = bench("tcp", "127.0.0.1", Peers.closedPort(), "--connections", 3, "--duration", "200ms",
                "--warmup", "0s");
        assertThat(status).isEqualTo(Main.FAILURE);
        assertThat(figure("connect_failures")).isEqualTo(3);
        assertThat(figure("connections_opened")).isZero();
        assertThat(stdout()).contains("3 x connect: Connection refused", "0 of 3 opened, 3 failed");
    }

    @Test
    void udpAtAFixedRate() throws IOException {
        int status = bench("udp", "127.0.0.1", udp.localAddress().getPort(), "--sockets", 2, "--depth", 2,
                "--rate", 1000, "--duration", "500ms", "--warmup", "0s");
        assertThat(status).as(stdout() + stderr()).isEqualTo(Main.OK);
        assertThat(figure("replies")).isPositive();
        assertThat(figure("replies_per_s")).isLessThan(1000 + 4 / 0.5 + 1);
        assertThat(json).contains("\"send_lag_us\"");
    }

    @Test
    void udpAgainstUpcaseLosesNothing() throws IOException {
        int status = bench("udp", "127.0.0.1", udp.localAddress().getPort(), "--sockets", 3, "--depth", 4,
                "--threads", 2, "--duration", "500ms", "--warmup", "100ms", "--timeout", "1s");
        assertThat(status).as(stdout() + stderr()).isEqualTo(Main.OK);
        assertThat(figure("replies")).isPositive();
        assertThat(figure("lost")).isZero();
        assertThat(figure("late")).isZero();
        assertThat(figure("mismatches")).isZero();
        assertThat(figure("loss_percent")).isZero();
        assertThat(figure("p99")).isPositive();
    }

    @Test
    void aServerThatDropsEveryOtherDatagramShowsLoss() throws IOException {
        try (Peers.Peer lossy = Peers.udpAnsweringEveryOther()) {
            Object[] args = {"udp", "127.0.0.1", lossy.port(), "--sockets", 2, "--depth", 4, "--duration", "300ms",
                    "--warmup", "0s", "--timeout", "100ms"};
            assertThat(bench(args)).isEqualTo(Main.FAILURE);
            assertThat(figure("lost")).isPositive();
            assertThat(figure("replies")).isPositive();
            assertThat(figure("loss_percent")).isGreaterThan(1);
            assertThat(figure("errors")).isZero();
            assertThat(json).contains("more than --max-loss 1.0%");

            Object[] tolerant = Arrays.copyOf(args, args.length + 2);
            tolerant[args.length] = "--max-loss";
            tolerant[args.length + 1] = "100%";
            assertThat(bench(tolerant)).as(stdout()).isEqualTo(Main.OK);
            assertThat(figure("lost")).isPositive();
        }
    }

    @Test
    void aReplyAfterTheTimeoutIsLateAndLostNotASuccess() throws IOException {
        try (Peers.Peer slow = Peers.udpLate(150)) {
            int status = bench("udp", "127.0.0.1", slow.port(), "--sockets", 1, "--depth", 2, "--duration", "200ms",
                    "--warmup", "0s", "--timeout", "50ms", "--max-loss", "100");
            assertThat(status).as(stdout()).isEqualTo(Main.OK);
            assertThat(figure("replies")).isZero();
            assertThat(figure("lost")).isPositive();
            assertThat(figure("late")).isPositive().isLessThanOrEqualTo(figure("lost"));
        }
    }

    @Test
    void bulkChecksEveryByte() throws IOException {
        int status = bench("bulk", "127.0.0.1", port(tcp), "--megabytes", 4, "--line", 1000);
        assertThat(status).as(stdout() + stderr()).isEqualTo(Main.OK);
        assertThat(figure("replies")).isEqualTo(4000);
        assertThat(figure("reply_bytes")).isEqualTo(4_000_000);
        assertThat(figure("mb_per_s")).isPositive();
    }

    @Test
    void bulkWarmUpIsCheckedButNotTimed() throws IOException {
        int status = bench("bulk", "127.0.0.1", port(tcp), "--megabytes", 2, "--warmup-megabytes", 3, "--line", 1000);
        assertThat(status).as(stdout() + stderr()).isEqualTo(Main.OK);
        assertThat(figure("replies")).isEqualTo(5000);
        assertThat(figure("reply_bytes")).isEqualTo(5_000_000);
        assertThat(figure("warmup_megabytes")).isEqualTo(3);
        assertThat(figure("mb_per_s")).isPositive();
        // The clock starts after the read that completes the warm-up, which may hold timed bytes too.
        assertThat(figure("timed_bytes")).isBetween(2_000_000.0 - BulkLoad.BUFFER, 2_000_000.0);
        assertThat(stdout()).contains("5.0 MB, of which ");
    }

    @Test
    void bulkAgainstAWrongServerFails() throws IOException {
        try (Peers.Peer echo = Peers.tcpLines(line -> line)) {
            assertThat(bench("bulk", "127.0.0.1", echo.port(), "--megabytes", 1, "--line", 100))
                    .isEqualTo(Main.FAILURE);
            assertThat(figure("mismatches")).isEqualTo(10_000);
        }
    }

    @Test
    void idleHoldsAHundredConnectionsAndReadsTheServersMemory() throws IOException {
        long pid = ProcessHandle.current().pid(); // the server runs in this JVM
        int status = bench("idle", "127.0.0.1", port(tcp), "--connections", 100, "--hold", "200ms",
                "--server-pid", pid);
        assertThat(status).as(stdout() + stderr()).isEqualTo(Main.OK);
        assertThat(figure("held")).isEqualTo(100);
        assertThat(figure("server_rss_kib_before")).isPositive();
        assertThat(figure("server_rss_kib_after")).isPositive();
        assertThat(json).contains("\"kib_per_connection\"");
        assertThat(stdout()).contains("100 of 100 answered right after the hold", "KiB per connection");
    }

    @Test
    void idleCountsConnectionsTheServerDrops() throws IOException {
        try (TcpServer small = TcpServer.start(TcpServerConfig.defaults(LOOPBACK).withMaxConnections(5))) {
            int status = bench("idle", "127.0.0.1", port(small), "--connections", 10, "--hold", "100ms");
            assertThat(status).isEqualTo(Main.FAILURE);
            assertThat(figure("held")).isEqualTo(5);
            assertThat(figure("errors")).isEqualTo(5);
            assertThat(json).contains("closed by the server during the hold");
        }
    }

    @Test
    void connectPerLineWorksWithServersThatCloseAndThatStayOpen() throws IOException {
        assertThat(bench("connect", "127.0.0.1", port(tcp), "--concurrency", 2, "--duration", "300ms", "--warmup", "0s"))
                .as(stdout() + stderr()).isEqualTo(Main.OK);
        assertThat(figure("connects")).isPositive();
        assertThat(figure("replies")).isPositive();
        assertThat(json).contains("\"connects_per_s\"");
        try (Peers.Peer textbook = Peers.closeAfterOneReply()) {
            assertThat(bench("connect", "127.0.0.1", textbook.port(), "--concurrency", 2, "--duration", "300ms",
                    "--warmup", "0s")).as(stdout() + stderr()).isEqualTo(Main.OK);
            assertThat(figure("replies")).isPositive();
            assertThat(figure("errors")).isZero();
        }
    }

    @Test
    void connectAtAFixedRateNeverGoesFasterThanAsked() throws IOException {
        assertThat(bench("connect", "127.0.0.1", port(tcp), "--concurrency", 4, "--rate", 400, "--threads", 2,
                "--duration", "500ms", "--warmup", "0s")).as(stdout() + stderr()).isEqualTo(Main.OK);
        // An open loop: at most the exchanges due in the run, plus one per worker at the start.
        assertThat(figure("replies")).isPositive().isLessThanOrEqualTo(400 * 0.5 + 4 + 1);
        assertThat(figure("errors")).isZero();
        assertThat(json).contains("\"rate\": 400", "\"unsent\"", "\"send_lag_us\"");
    }

    /**
     * Coordinated omission: a server that takes 20 ms per exchange, asked for one every 5 ms on
     * one connection at a time. Measured from when each exchange actually started, every one
     * would take about 20 ms; measured from when each was due, the queue of exchanges waiting
     * for the busy worker shows, and the due ones that never started are reported.
     */
    @Test
    void connectAtARateCountsLatencyFromWhenEachExchangeWasDue() throws IOException {
        try (Peers.Peer slow = Peers.tcpLines(line -> {
            try {
                Thread.sleep(20); // the slow server under test, not synchronization
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return UpperCase.unicode().apply(line);
        })) {
            assertThat(bench("connect", "127.0.0.1", slow.port(), "--concurrency", 1, "--rate", 200,
                    "--duration", "500ms", "--warmup", "0s")).as(stdout() + stderr()).isEqualTo(Main.OK);
            // About 25 exchanges in 500 ms; the last ones were due some 300 ms before they started.
            assertThat(figure("p99")).as(json).isGreaterThan(150_000);
            assertThat(figure("unsent")).as(json).isPositive();
        }
    }

    @Test
    void connectToNothingCountsFailures() throws IOException {
        assertThat(bench("connect", "127.0.0.1", Peers.closedPort(), "--duration", "200ms", "--warmup", "0s"))
                .isEqualTo(Main.FAILURE);
        assertThat(figure("connect_failures")).isPositive();
        assertThat(figure("replies")).isZero();
    }

    @Test
    void tooManyConnectionsForTheFileLimitIsOneClearLine() throws IOException {
        assertThat(bench("idle", "127.0.0.1", port(tcp), "--connections", 100_000_000)).isEqualTo(Main.FAILURE);
        assertThat(stderr()).startsWith("upcase: 100,000,000 connections need about")
                .contains("(ulimit -n)").doesNotContain("\n\t");
    }

    @Test
    void badUsageIsExitTwo() throws IOException {
        assertThat(bench("udp", "127.0.0.1", 9, "--size", 5)).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--size must be 12 to 65507");
        assertThat(bench("udp", "127.0.0.1", 9, "--max-loss", "150")).isEqualTo(Main.USAGE);
        assertThat(bench("tcp", "127.0.0.1", 9, "--duration", "0")).isEqualTo(Main.USAGE);
        err.reset();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertThat(Main.run(io, "bench")).isEqualTo(Main.USAGE);
        assertThat(stderr()).isEqualTo("upcase: Missing required subcommand (see 'upcase bench --help')\n");
    }
}
