package upcase.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/**
 * examples/java/UDP*.java and examples/python/udp_*.py, run for real against each other and
 * against upcase's own UDP server and client; and each textbook UDP defect
 * (the defects table in examples/README.md), shown gone from the examples.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdpExamplesTest {
    private ExampleServers servers;

    @BeforeAll
    void startServers() throws Exception {
        UdpServer upcase = UdpServer.start(new UdpServerConfig(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UpperCase.unicode()));
        servers = ExampleServers.start(upcase, upcase.localAddress().getPort(), "UDPServer", "udp_server");
    }

    @AfterAll
    void stopServers() throws Exception {
        servers.close();
    }

    private int port(Server server) {
        return servers.port(server);
    }

    private static ExampleProcess client(Client client, int port) {
        return client == Client.JAVA
                ? Examples.java("UDPClient", "127.0.0.1", String.valueOf(port))
                : Examples.python("udp_client", "127.0.0.1", String.valueOf(port));
    }

    /** What an example client prints for a reply: the Java one as the book's, the Python one bare. */
    private static String printed(Client client, String reply) {
        return client == Client.JAVA ? "FROM SERVER: " + reply : reply;
    }

    @ParameterizedTest(name = "{0} client, {1} server")
    @MethodSource("upcase.examples.ExampleServers#everyPairingWithAnExample")
    void everyLineIsOneDatagramAndIsAnswered(Client client, Server server) throws Exception {
        int port = port(server);
        String input = String.join("\n", ExampleServers.LINES) + "\n";
        List<String> replies = ExampleServers.LINES.stream().map(line -> line.toUpperCase(Locale.ROOT)).toList();
        if (client == Client.UPCASE) {
            Examples.Upcase run = Examples.upcase(input, "udp-client", "127.0.0.1", String.valueOf(port));
            assertThat(run.stderr()).isEmpty();
            assertThat(run.exit()).isEqualTo(Main.OK);
            assertThat(run.stdout()).isEqualTo(String.join("\n", replies) + "\n");
            return;
        }
        ExampleProcess.Result run = Examples.run(client(client, port), input);
        assertThat(run.stderr()).isEmpty();
        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).containsExactlyElementsOf(replies.stream().map(r -> printed(client, r)).toList());
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void theTextbookPythonClientIsAnswered(Server server) throws Exception {
        Path textbookClient = Path.of("src/test/resources/textbook/udp_client.py");
        ExampleProcess.Result run = Examples.run(
                Examples.python(textbookClient, "127.0.0.1", String.valueOf(port(server)), "hello textbook"), "");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout()).containsExactly("HELLO TEXTBOOK");
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void aReplyHoldsExactlyTheTransformedDatagram(Server server) throws Exception {
        // The Java book server padded "hello world" with 1,013 NULs, sent leftovers of the previous
        // datagram after a shorter one, and cut at 1,024 bytes; the Python one cut at 2,048.
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port(server));
        try (DatagramSocket s = socket()) {
            for (String text : List.of("hello world", "a sentence of twenty-seven", "short", "straße", "",
                    "x".repeat(1_500), "y".repeat(65_507))) {
                s.send(new DatagramPacket(utf8(text), utf8(text).length, to));
                assertThat(utf8(receive(s))).isEqualTo(text.toUpperCase(Locale.ROOT));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void aDatagramFromAServicePortIsNotAnswered(Server server) throws Exception {
        // The loop guard: two echo-like servers would bounce a spoofed datagram forever.
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port(server));
        int tested = 0;
        for (int sourcePort : new int[] {7, 6789, 9876, 12000}) {
            try (DatagramSocket service = bindOrNull(sourcePort); DatagramSocket ordinary = socket()) {
                if (service == null) {
                    continue; // in use, or a privileged port we may not bind: nothing learned
                }
                tested++;
                service.send(new DatagramPacket(utf8("bounce?"), 7, to));
                ordinary.send(new DatagramPacket(utf8("ping"), 4, to));
                // The server works in order: by the time "ping" is answered, "bounce?" was handled.
                assertThat(utf8(receive(ordinary))).isEqualTo("PING");
                service.setSoTimeout(1);
                try {
                    service.receive(new DatagramPacket(new byte[16], 16));
                    throw new AssertionError("a datagram from port " + sourcePort + " was answered");
                } catch (SocketTimeoutException expected) {
                    // not answered
                }
            }
        }
        assumeTrue(tested > 0, "no service port could be bound on 127.0.0.1");
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void theClientTriesAgainThenGivesUpAndGoesOn(Client client) throws Exception {
        // The book's clients waited forever for a lost datagram. This server loses the first try
        // of "retry" and every try of "lost".
        try (FlakyServer server = new FlakyServer()) {
            long start = System.nanoTime();
            ExampleProcess.Result run = Examples.run(client(client, server.port()), "retry\nlost\nlast\n");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(run.stdout()).containsExactly(printed(client, "RETRY"), printed(client, "LAST"));
            assertThat(run.stderr().strip().lines()).singleElement().asString()
                    .contains("no reply from 127.0.0.1:" + server.port() + " after 3 tries");
            assertThat(run.exit()).isEqualTo(1);
            assertThat(server.seen("lost")).isEqualTo(3);
            assertThat(server.seen("retry")).isGreaterThanOrEqualTo(2);
            // It waited: one lost try of "retry" and three of "lost", each its full 1 s timeout.
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"JAVA", "PYTHON"})
    void aLateReplyIsNotTakenForTheAnswerToTheNextLine(Client client) throws Exception {
        try (FlakyServer server = new FlakyServer(); ExampleProcess process = client(client, server.port())) {
            process.write("first\n");
            assertThat(process.awaitLine(Examples.CLIENT_RUN)).isEqualTo(printed(client, "FIRST"));
            // A duplicate of the answer arrives after the client has printed it, as a late reply
            // to a try the client had given up on would.
            server.sendToLastClient("FIRST");
            process.write("second\n");
            assertThat(process.awaitLine(Examples.CLIENT_RUN)).isEqualTo(printed(client, "SECOND"));
            ExampleProcess.Result run = process.finish(Examples.CLIENT_RUN);
            assertThat(run.stderr()).isEmpty();
            assertThat(run.exit()).isZero();
        }
    }

    private static DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(20_000);
        return s;
    }

    private static DatagramSocket bindOrNull(int port) throws IOException {
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            s.setSoTimeout(20_000);
            return s;
        } catch (BindException e) {
            return null;
        }
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /**
     * A UDP uppercase server that loses datagrams on purpose: the first of "retry", every one of
     * "lost". Counts what it receives.
     */
    private static final class FlakyServer implements AutoCloseable {
        private final DatagramSocket socket = socket();
        private final Map<String, Integer> seen = new ConcurrentHashMap<>();
        private volatile SocketAddress lastClient;
        private final Thread thread = Thread.ofVirtual().start(this::serve);

        FlakyServer() throws IOException {}

        int port() {
            return socket.getLocalPort();
        }

        int seen(String text) {
            return seen.getOrDefault(text, 0);
        }

        private void serve() {
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
                    socket.receive(p);
                    String text = new String(p.getData(), 0, p.getLength(), UTF_8);
                    int n = seen.merge(text, 1, Integer::sum);
                    lastClient = p.getSocketAddress();
                    boolean lose = text.equals("lost") || (text.equals("retry") && n == 1);
                    if (!lose) {
                        sendToLastClient(text.toUpperCase(Locale.ROOT));
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        void sendToLastClient(String text) throws IOException {
            byte[] b = utf8(text);
            socket.send(new DatagramPacket(b, b.length, lastClient));
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
