package upcase.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import upcase.cli.Io;
import upcase.support.StrictJson;
import upcase.cli.Main;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;
import upcase.text.UpperCase;

/** {@code upcase probe} through the command line, in-process: output, JSON, exit codes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(boolean interactive, String... args) {
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, StandardCharsets.UTF_8),
                interactive);
        return Main.run(io, args);
    }

    private int run(String... args) {
        return run(false, args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String lastLine() {
        return stdout().lines().toList().getLast();
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no server       | probe                               | give a server to probe: --tcp HOST:PORT, --udp HOST:PORT, or both",
        "no port         | probe --tcp localhost               | 'localhost' is not HOST:PORT: no port",
        "bare ipv6       | probe --tcp ::1:6789                | write an IPv6 address in brackets, like [::1]:6789",
        "bad ipv6        | probe --udp [::zz]:9876             | '::zz' is not an IPv6 address",
        "port zero       | probe --tcp 127.0.0.1:0             | '0' is not a port (1-65535)",
        "unknown level   | probe --tcp 127.0.0.1:1 --level hard | 'hard' is not a level (textbook or full)",
        "zero timeout    | probe --tcp 127.0.0.1:1 --timeout 0  | '0' must be longer than zero",
    })
    void badUsageIsOneLineAndExitTwo(String name, String args, String message) {
        assertThat(run(args.strip().split(" +"))).isEqualTo(Main.USAGE);
        assertThat(stderr()).startsWith("upcase: ").contains(message);
        assertThat(stderr().strip().lines()).hasSize(1);
        assertThat(stdout()).isEmpty();
    }

    @Test
    void upcaseItselfPassesWithExitZeroPlainOutputAndJsonForGraders() throws Exception {
        Path json = dir.resolve("report.json");
        try (TcpServer tcp = TcpServer.start(TcpServerConfig.defaults(loopback()));
                UdpServer udp = UdpServer.start(new UdpServerConfig(loopback(), UpperCase.unicode()))) {
            int status = run("probe", "--tcp", "127.0.0.1:" + tcp.localAddress().getPort(),
                    "--udp", "127.0.0.1:" + udp.localAddress().getPort(), "--json", json.toString());

            assertThat(stderr()).isEmpty();
            assertThat(status).isEqualTo(Main.OK);
        }
        int checks = Checks.all().size();
        assertThat(stdout()).doesNotContain("\u001B", "FAIL").contains("  pass  tcp.full.second-client  ");
        assertThat(lastLine()).isEqualTo(checks + " passed, 0 failed");
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) StrictJson.parse(Files.readString(json, StandardCharsets.UTF_8));
        assertThat(report).containsEntry("passed", (long) checks).containsEntry("failed", 0L).containsEntry("level", "full");
        assertThat((List<?>) report.get("checks")).hasSize(checks);
    }

    @Test
    void aFaultyServerFailsWithExitOneAndTheFaultInPlainWords() throws Exception {
        Path json = dir.resolve("report.json");
        try (FaultyServers.Running padder = FaultyServers.udpPadder()) {
            int status = run("probe", "--udp", "127.0.0.1:" + padder.port(), "--level", "textbook", "--json", json.toString());

            assertThat(status).isEqualTo(Main.FAILURE);
        }
        assertThat(stdout()).contains("""
                  FAIL  udp.textbook.datagram     a short datagram comes back as exactly its uppercased payload
                        sent      "hello world"
                        expected  "HELLO WORLD"
                """, "fault     the reply is padded with 1,013 NUL bytes: the server sends its whole receive buffer"
                + " (1,024 bytes) instead of the received length\n", "  n/a   tcp.*");
        assertThat(lastLine()).isEqualTo("0 passed, 2 failed");
        String report = Files.readString(json, StandardCharsets.UTF_8);
        assertThat(StrictJson.parse(report)).isNotNull();
        assertThat(report).contains("\"got\": {\"length\": 1024, \"shown\": \"\\\"HELLO WORLD\\\\x00", "\"not_applicable\": 2");
    }

    @Test
    void colourWhenAPersonWatches() throws Exception {
        try (TcpServer tcp = TcpServer.start(TcpServerConfig.defaults(loopback()))) {
            assertThat(run(true, "probe", "--level", "textbook", "--tcp", "127.0.0.1:" + tcp.localAddress().getPort()))
                    .isEqualTo(Main.OK);
        }
        assertThat(stdout()).contains("\u001B[32mpass\u001B[0m");
        assertThat(lastLine()).isEqualTo("2 passed, 0 failed");
    }

    @Test
    void silentServersFailEveryCheckWithinTheTimeoutInsteadOfHangingTheProbe() throws IOException {
        // A listener that never accepts (the kernel completes the handshakes) and a socket that never answers.
        try (ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                DatagramSocket udp = new DatagramSocket(loopback())) {
            int status = run("probe", "--level", "textbook", "--timeout", "300ms",
                    "--tcp", "127.0.0.1:" + tcp.getLocalPort(), "--udp", "127.0.0.1:" + udp.getLocalPort());

            assertThat(status).isEqualTo(Main.FAILURE);
        }
        assertThat(stdout().lines().filter(l -> l.contains("fault     no reply within 300ms"))).hasSize(4);
        assertThat(lastLine()).isEqualTo("0 passed, 4 failed");
    }

    @Test
    void nothingListeningIsSaidPlainly() throws IOException {
        int tcp;
        int udp;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DatagramSocket d = new DatagramSocket(loopback())) {
            tcp = s.getLocalPort();
            udp = d.getLocalPort();
        }
        assertThat(run("probe", "--level", "textbook", "--timeout", "300ms", "--tcp", "127.0.0.1:" + tcp,
                "--udp", "127.0.0.1:" + udp)).isEqualTo(Main.FAILURE);
        assertThat(stdout()).contains("fault     connection refused: nothing listens there",
                "fault     nothing listens there: the host answered 'port unreachable'");
        assertThat(lastLine()).isEqualTo("0 passed, 4 failed");
    }

    @Test
    void anUnknownHostIsOneLineAndExitOne() {
        assertThat(run("probe", "--tcp", "no-such-host.invalid:6789")).isEqualTo(Main.FAILURE);
        assertThat(stderr()).isEqualTo("upcase: unknown host no-such-host.invalid\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void anIpv6ServerInBrackets() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        try (DatagramSocket probe = new DatagramSocket(v6)) {
            Assumptions.assumeTrue(probe.isBound());
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
        }
        try (TcpServer tcp = TcpServer.start(TcpServerConfig.defaults(v6));
                UdpServer udp = UdpServer.start(new UdpServerConfig(v6, UpperCase.unicode()))) {
            int status = run("probe", "--tcp", "[::1]:" + tcp.localAddress().getPort(),
                    "--udp", "[::1]:" + udp.localAddress().getPort());

            assertThat(stdout()).startsWith("upcase probe: full level, tcp [::1]:");
            assertThat(status).isEqualTo(Main.OK);
        }
    }

    @Test
    void aJsonFileThatCannotBeWrittenIsAFailure() throws Exception {
        try (TcpServer tcp = TcpServer.start(TcpServerConfig.defaults(loopback()))) {
            int status = run("probe", "--level", "textbook", "--tcp", "127.0.0.1:" + tcp.localAddress().getPort(),
                    "--json", dir.resolve("missing/report.json").toString());

            assertThat(status).isEqualTo(Main.FAILURE);
        }
        assertThat(stderr()).isEqualTo("upcase: cannot write " + dir.resolve("missing/report.json") + ": no such directory\n");
    }

    @Test
    void theCommandIsListed() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("probe");
    }
}
