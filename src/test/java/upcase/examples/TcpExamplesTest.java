package upcase.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import upcase.cli.Main;
import upcase.examples.ExampleServers.Client;
import upcase.examples.ExampleServers.Server;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;

/**
 * examples/java/TCP*.java and examples/python/tcp_*.py, run for real against each other and
 * against upcase's own TCP server and client; and each textbook TCP defect
 * (the defects table in examples/README.md), shown gone from the example servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpExamplesTest {
    private ExampleServers servers;

    @BeforeAll
    void startServers() throws Exception {
        TcpServer upcase = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        servers = ExampleServers.start(upcase, upcase.localAddress().getPort(), "TCPServer", "tcp_server");
    }

    @AfterAll
    void stopServers() throws Exception {
        servers.close();
    }

    private int port(Server server) {
        return servers.port(server);
    }

    @ParameterizedTest(name = "{0} client, {1} server")
    @MethodSource("upcase.examples.ExampleServers#everyPairingWithAnExample")
    void everyLineOfASessionIsAnswered(Client client, Server server) throws Exception {
        String port = String.valueOf(port(server));
        String input = String.join("\n", ExampleServers.LINES) + "\n";
        List<String> replies = ExampleServers.LINES.stream().map(line -> line.toUpperCase(Locale.ROOT)).toList();
        switch (client) {
            case JAVA -> {
                ExampleProcess.Result run = Examples.run(Examples.java("TCPClient", "127.0.0.1", port), input);
                assertThat(run.stderr()).isEmpty();
                assertThat(run.exit()).isZero();
                assertThat(run.stdout()).containsExactlyElementsOf(replies.stream().map(r -> "FROM SERVER: " + r).toList());
            }
            case PYTHON -> {
                ExampleProcess.Result run = Examples.run(Examples.python("tcp_client", "127.0.0.1", port), input);
                assertThat(run.stderr()).isEmpty();
                assertThat(run.exit()).isZero();
                assertThat(run.stdout()).containsExactlyElementsOf(replies.stream().map(r -> "From Server: " + r).toList());
            }
            case UPCASE -> {
                Examples.Upcase run = Examples.upcase(input, "tcp-client", "127.0.0.1", port);
                assertThat(run.stderr()).isEmpty();
                assertThat(run.exit()).isEqualTo(Main.OK);
                assertThat(run.stdout()).isEqualTo(String.join("\n", replies) + "\n");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void theTextbookPythonClientIsAnsweredThoughItSendsNoLineEnd(Server server) throws Exception {
        // The book's Python client sends "hello" without a line end, then waits in one recv(1024):
        // a server that answers whole lines only would never answer it.
        Path textbookClient = Path.of("src/test/resources/textbook/tcp_client.py");
        ExampleProcess.Result run = Examples.run(
                Examples.python(textbookClient, "127.0.0.1", String.valueOf(port(server)), "hello textbook"), "");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).containsExactly("HELLO TEXTBOOK");
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void lineEndsComeBackAsSentAndAHalfCloseEndsTheConnection(Server server) throws Exception {
        try (Socket s = connect(server)) {
            s.getOutputStream().write(utf8("one\r\ntwo\nthree"));
            s.shutdownOutput();
            assertThat(utf8(readAll(s.getInputStream()))).isEqualTo("ONE\r\nTWO\nTHREE");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void aCharacterCutBetweenTwoSegmentsComesBackWhole(Server server) throws Exception {
        // The Python server's decode() of a partial read died on this (UnicodeDecodeError).
        try (Socket s = connect(server)) {
            s.getOutputStream().write(new byte[] {'s', 't', 'r', 'a', (byte) 0xC3});
            // The first segment is answered as far as it goes: this proves it was read alone.
            assertThat(utf8(readExactly(s.getInputStream(), 4))).isEqualTo("STRA");
            s.getOutputStream().write(new byte[] {(byte) 0x9F, 'e', '\n'});
            assertThat(utf8(readExactly(s.getInputStream(), 4))).isEqualTo("SSE\n");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void fiftyClientsConnectedAtOnceAreAllAnswered(Server server) throws Exception {
        // Both books' servers served one client at a time: the second waited for the first to go.
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                clients.add(connect(server));
            }
            for (int i = clients.size() - 1; i >= 0; i--) { // the last one first
                clients.get(i).getOutputStream().write(utf8("client " + i + "\n"));
                assertThat(utf8(readExactly(clients.get(i).getInputStream(), ("client " + i + "\n").length())))
                        .isEqualTo("CLIENT " + i + "\n");
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void clientsThatCloseSilentlyOrResetDoNotStopTheServer(Server server) throws Exception {
        // The Java book server died of a NullPointerException at EOF, and of a reset while writing.
        connect(server).close();
        Socket resetter = connect(server);
        resetter.getOutputStream().write(utf8("x".repeat(1 << 18)));
        resetter.setSoLinger(true, 0);
        resetter.close();
        try (Socket s = connect(server)) {
            s.getOutputStream().write(utf8("still serving\n"));
            assertThat(utf8(readExactly(s.getInputStream(), 14))).isEqualTo("STILL SERVING\n");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void bytesThatAreNotUtf8_theJavaServerReplacesThem_thePythonServerKeepsThem(Server server) throws Exception {
        // The documented difference (examples/README.md): Java's decoders have no surrogateescape.
        byte[] expected = server == Server.JAVA ? utf8("A\uFFFDB\n") : new byte[] {'A', (byte) 0xFF, 'B', '\n'};
        try (Socket s = connect(server)) {
            s.getOutputStream().write(new byte[] {'a', (byte) 0xFF, 'b', '\n'});
            s.shutdownOutput();
            assertThat(readAll(s.getInputStream())).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void theExampleClientsReportARefusedConnectionInOneLine(Client client) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ExampleProcess process = client == Client.JAVA
                ? Examples.java("TCPClient", "127.0.0.1", String.valueOf(closed))
                : Examples.python("tcp_client", "127.0.0.1", String.valueOf(closed));
        ExampleProcess.Result run = Examples.run(process, "hello\n");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip().lines()).singleElement().asString()
                .contains("127.0.0.1:" + closed).containsIgnoringCase("refused");
    }

    private Socket connect(Server server) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port(server));
        s.setSoTimeout(20_000);
        s.setTcpNoDelay(true);
        return s;
    }
}
