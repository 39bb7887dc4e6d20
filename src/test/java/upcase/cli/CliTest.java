package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;

/** The command line in-process: usage errors, runtime errors, exit codes (PROTOCOL.md §Messages and exit codes). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Isolated // a server command run here points the JVM's root logger at its stderr, which a test reads whole: no other test class runs meanwhile
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return Main.run(io, args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionAndHelp() {
        assertThat(run("", "--version")).isZero();
        assertThat(stdout()).startsWith("upcase ");
        out.reset();
        assertThat(run("", "--help")).isZero();
        assertThat(stdout()).contains("server", "tcp-server", "udp-server", "tcp-client", "udp-client", "Exit codes");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown option          | tcp-server --frobnicate              | Unknown option: '--frobnicate'",
        "port out of range       | tcp-server --port 70000              | '70000' is not a port (0-65535)",
        "port not a number       | udp-server --port abc                | 'abc' is not a port",
        "client port zero        | tcp-client localhost 0               | '0' is not a port (1-65535)",
        "malformed address       | server --bind 999.1.2.3              | '999.1.2.3' is not an address",
        "malformed ipv6          | server --bind ::zz                   | '::zz' is not an address",
        "bad duration            | tcp-server --idle-timeout soon       | 'soon' is not a duration",
        "zero timeout            | tcp-client --timeout 0               | '0' must be longer than zero",
        "zero max connections    | tcp-server --max-connections 0       | '0' is not a whole number of at least 1",
        "negative rate limit     | udp-server --udp-rate-limit -1       | '-1' is not a whole number of at least 0",
        "negative retries        | udp-client --retries -1              | '-1' is not a whole number of at least 0",
        "unknown command         | frobnicate                           | Unmatched argument",
        "proxy without trusted   | tcp-server --proxy-protocol          | --proxy-protocol needs --proxy-trusted",
        "trusted without proxy   | server --proxy-trusted 10.0.0.0/8    | --proxy-trusted is given without --proxy-protocol",
        "trusted not a cidr      | tcp-server --proxy-protocol --proxy-trusted lb.example | not an IP address or CIDR block: 'lb.example'",
        "trusted host bits       | tcp-server --proxy-protocol --proxy-trusted 10.0.0.1/8 | did you mean 10.0.0.0/8?",
        "zero handshake timeout  | tcp-server --handshake-timeout 0     | '0' must be longer than zero",
        "spin over its bound     | udp-server --udp-spin 2ms            | '2ms' is longer than 1ms",
        "spin not a duration     | server --udp-spin 20µs               | '20µs' is not a duration (write it like 20us",
    })
    void badUsageIsOneLineAndExitTwo(String name, String args, String message) {
        assertThat(run("", args.strip().split(" +"))).isEqualTo(Main.USAGE);
        assertThat(stderr()).startsWith("upcase: ").contains(message);
        assertThat(stderr().strip().lines()).hasSize(1);
    }

    @Test
    void aRefusedConnectionIsOneLineNamingTheAddressAndExitOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(run("hello\n", "tcp-client", "127.0.0.1", String.valueOf(port))).isEqualTo(Main.FAILURE);
        assertThat(stderr()).isEqualTo("upcase: cannot connect to 127.0.0.1:" + port + ": Connection refused\n");
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(run("hello\n", "tcp-client", "--verbose", "127.0.0.1", String.valueOf(port))).isEqualTo(Main.FAILURE);
        assertThat(stderr()).startsWith("upcase: cannot connect to").contains("\tat ");
    }

    @Test
    void anUnknownHostIsOneLineAndExitOne() {
        assertThat(run("hello\n", "tcp-client", "no-such-host.invalid")).isEqualTo(Main.FAILURE);
        assertThat(stderr()).isEqualTo("upcase: unknown host no-such-host.invalid\n");
    }

    @Test
    void aPortInUseIsOneLineNamingTheAddressAndExitOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(run("", "tcp-server", "--bind", "127.0.0.1", "--port", String.valueOf(port)))
                    .isEqualTo(Main.FAILURE);
            assertThat(stderr()).isEqualTo("upcase: cannot listen on tcp 127.0.0.1:" + port + ": Address already in use\n");
        }
    }

    @Test
    void tcpClientPipedThroughTheCommandLine() throws IOException {
        try (TcpServer server = TcpServer.start(
                TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))) {
            int status = run("one\ntwo\n", "tcp-client", "127.0.0.1", String.valueOf(server.localAddress().getPort()));
            assertThat(stderr()).isEmpty();
            assertThat(status).isZero();
            assertThat(stdout()).isEqualTo("ONE\nTWO\n");
        }
    }
}
