package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.utf8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import upcase.fault.Faults;
import upcase.support.UpcaseProcess;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/** The fault knobs on the command line: the start line, usage errors, and what upcase bench measures against them. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultKnobsTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Faults DELAY_20MS = new Faults(Duration.ofMillis(20), Duration.ZERO, 0, 0, 0, OptionalLong.empty());

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return Main.run(io, args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "both line limits     | tcp-server --close-after 2 --reset-after 3 | --close-after and --reset-after cannot both be given",
        "drop rate above one  | udp-server --udp-drop-rate 1.5             | '1.5' is not a number from 0 to 1",
        "drop rate not number | server --udp-drop-rate often               | 'often' is not a number from 0 to 1",
        "zero close-after     | tcp-server --close-after 0                 | '0' is not a whole number of at least 1",
        "bad delay            | server --delay soon                        | 'soon' is not a duration",
        "delay over an hour   | udp-server --jitter 2h                     | between 0 and 1h",
        "udp has no lines     | udp-server --close-after 2                 | Unknown options: '--close-after'",
    })
    void badKnobsAreOneLineAndExitTwo(String name, String args, String message) {
        assertThat(run(args.strip().split(" +"))).as(stderr()).isEqualTo(Main.USAGE);
        assertThat(stderr()).startsWith("upcase: ").contains(message);
        assertThat(stderr().strip().lines()).hasSize(1);
    }

    @Test
    void theStartLineNamesTheKnobsThatAreOnAndTheServerAppliesThem() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("server", "--tcp-port", "0", "--udp-port", "0", "--bind", "127.0.0.1",
                "--delay", "20ms", "--jitter", "5ms", "--close-after", "3", "--udp-drop-rate", "0.25", "--seed", "9")) {
            String tcp = server.awaitLine("tcp listening on", Duration.ofSeconds(20));
            String udp = server.awaitLine("udp listening on", Duration.ofSeconds(20));
            assertThat(tcp).endsWith(" (faults: delay 20ms, jitter 5ms, close-after 3, seed 9)");
            assertThat(udp).endsWith(" (faults: delay 20ms, jitter 5ms, udp-drop-rate 0.25, seed 9)");
            int port = Integer.parseInt(tcp.replaceAll(".*:(\\d+) \\(.*", "$1"));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write(utf8("a\nb\nc\nd\n"));
                assertThat(utf8(readAll(s.getInputStream()))).isEqualTo("A\nB\nC\n");
            }
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void withoutKnobsTheStartLineIsAsBefore() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--port", "0", "--bind", "127.0.0.1")) {
            // The engine, as for UDP, and no faults.
            assertThat(server.awaitLine("tcp listening on", Duration.ofSeconds(20)))
                    .matches("upcase: tcp listening on 127\\.0\\.0\\.1:\\d+ \\(engine (epoll|nio), \\d+ threads?\\)");
        }
    }

    /** The load generator sees the delay: half the replies take at least 20 ms. */
    @Test
    void benchTcpAgainstA20msDelayShowsAMedianOfAtLeast20ms() throws IOException {
        try (TcpServer server = TcpServer.start(TcpServerConfig.defaults(LOOPBACK).withFaults(DELAY_20MS))) {
            double p50 = benchP50("tcp", server.localAddress().getPort(), "--connections", "4", "--depth", "2");
            assertThat(p50).isGreaterThanOrEqualTo(20_000);
        }
    }

    @Test
    void benchUdpAgainstA20msDelayShowsAMedianOfAtLeast20ms() throws IOException {
        try (UdpServer server = UdpServer.start(new UdpServerConfig(LOOPBACK, UpperCase.unicode()).withFaults(DELAY_20MS))) {
            double p50 = benchP50("udp", server.localAddress().getPort(), "--sockets", "4", "--depth", "2");
            assertThat(p50).isGreaterThanOrEqualTo(20_000);
        }
    }

    /** Runs {@code upcase bench SCENARIO 127.0.0.1 PORT ARGS} for a second; returns its p50 in microseconds. */
    private double benchP50(String scenario, int port, String... args) throws IOException {
        Path json = dir.resolve(scenario + ".json");
        String[] argv = new String[args.length + 10];
        String[] head = {"bench", scenario, "127.0.0.1", String.valueOf(port), "--duration", "1s", "--warmup", "200ms",
                "--json", json.toString()};
        System.arraycopy(head, 0, argv, 0, head.length);
        System.arraycopy(args, 0, argv, head.length, args.length);
        assertThat(run(argv)).as(stderr()).isEqualTo(Main.OK);
        Matcher m = Pattern.compile("\"p50\": ([0-9.]+)").matcher(Files.readString(json));
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
