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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.udp.UdpClientOptions;

/** The client fast path reads every plain command line as picocli does, and leaves the rest to picocli. */
class ClientFastPathTest {
    private static final Map<String, String> NO_ENV = Map.of();

    /** What picocli makes of a client command line, as a fast-path request. */
    private static ClientFastPath.Request picocli(String... args) {
        Main main = new Main(new Io(InputStreamNothing.INSTANCE, new ByteArrayOutputStream(), System.err, false));
        CommandLine cli = new CommandLine(main);
        Object command = cli.parseArgs(args).subcommand().commandSpec().userObject();
        if (command instanceof TcpClientCommand t) {
            return new ClientFastPath.Request("tcp-client", t.server.host, t.server.port(), t.timeout, UdpClientOptions.DEFAULT_RETRIES, t.once);
        }
        UdpClientCommand u = (UdpClientCommand) command;
        return new ClientFastPath.Request("udp-client", u.server.host, u.server.port(), u.timeout, u.retries, u.once);
    }

    private static final class InputStreamNothing extends java.io.InputStream {
        static final InputStreamNothing INSTANCE = new InputStreamNothing();

        @Override
        public int read() {
            return -1;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "tcp-client",
        "tcp-client example.org",
        "tcp-client example.org 12000",
        "tcp-client --once",
        "tcp-client --once ::1 6789",
        "tcp-client 127.0.0.1 6789 --once",
        "tcp-client --timeout 250ms localhost",
        "tcp-client --timeout=PT0.5S --once host 1",
        "tcp-client host --timeout 2m 65535",
        "udp-client",
        "udp-client --retries 0 host",
        "udp-client --retries=5 --timeout=3s --once 10.0.0.1 9999",
        "udp-client host 9876 --retries 1",
    })
    void plainFormsAreReadAsPicocliReadsThem(String line) {
        String[] args = line.split(" ");
        assertThat(ClientFastPath.parse(args, NO_ENV)).isEqualTo(picocli(args));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "tcp-client --help",
        "tcp-client -h",
        "tcp-client --verbose",
        "--verbose tcp-client",
        "tcp-client --timeout 0",
        "tcp-client --timeout soon",
        "tcp-client --timeout",
        "tcp-client host 0",
        "tcp-client host 70000",
        "tcp-client a b c",
        "tcp-client --retries 2",
        "tcp-client --once --once",
        "tcp-client --once=true",
        "tcp-client --frobnicate",
        "tcp-client --tls",
        "tcp-client host 6789 --tls --ca ca.pem",
        "tcp-client --tls --insecure --once",
        "tcp-client --ca ca.pem",
        "udp-client --retries -1",
        "tcp-server",
        "server",
    })
    void everythingElseIsLeftToPicocli(String line) {
        assertThat(ClientFastPath.parse(line.split(" "), NO_ENV)).isNull();
    }

    @Test
    void thePortComesFromTheEnvironmentUnlessGiven() {
        Map<String, String> env = Map.of("UPCASE_TCP_PORT", "16789", "UPCASE_UDP_PORT", "19876");
        assertThat(ClientFastPath.parse(new String[] {"tcp-client"}, env).port()).isEqualTo(16789);
        assertThat(ClientFastPath.parse(new String[] {"udp-client"}, env).port()).isEqualTo(19876);
        assertThat(ClientFastPath.parse(new String[] {"tcp-client", "h", "7"}, env).port()).isEqualTo(7);
        assertThat(ClientFastPath.parse(new String[] {"tcp-client"}, Map.of("UPCASE_TCP_PORT", "x"))).isNull();
    }

    @Test
    void runsTheClientAndAnswersFailuresInOneLine() throws IOException {
        try (TcpServer server = TcpServer.start(
                TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Io io = new Io(new ByteArrayInputStream("fast\n".getBytes(StandardCharsets.UTF_8)), out,
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);
            String port = String.valueOf(server.localAddress().getPort());
            assertThat(ClientFastPath.run(ClientFastPath.parse(new String[] {"tcp-client", "127.0.0.1", port}, NO_ENV), io))
                    .isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("FAST\n");
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertThat(ClientFastPath.run(ClientFastPath.parse(
                new String[] {"tcp-client", "127.0.0.1", String.valueOf(closed)}, NO_ENV), io)).isEqualTo(Main.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("upcase: cannot connect to 127.0.0.1:" + closed + ": Connection refused\n");
    }
}
