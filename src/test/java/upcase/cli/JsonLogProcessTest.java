package upcase.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.UpcaseProcess;

/**
 * {@code --log-format json} on a real {@code upcase} process: with TCP and UDP traffic and a
 * SIGTERM, every stderr line is one JSON object (read by Jackson) with the events and the counts
 * the traffic caused (docs/OPERATIONS.md §Logs).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JsonLogProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern TS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    /** Control characters, quotes, backslashes and bytes that are not UTF-8: answered unchanged, never logged raw. */
    private static final byte[] HOSTILE = {'h', 'i', ' ', '"', '\\', 0, 0x1b, '[', '2', 'J', (byte) 0x9b, (byte) 0xC3,
            (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\r', '\n'};

    private static JsonNode parse(String line) throws IOException {
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        return node;
    }

    private static int port(JsonNode listening) {
        String local = listening.get("local").asText();
        return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
    }

    private static JsonNode only(List<JsonNode> events, String name, String protocol) {
        List<JsonNode> found = events.stream()
                .filter(e -> e.get("event").asText().equals(name))
                .filter(e -> protocol == null || e.path("protocol").asText().equals(protocol))
                .toList();
        assertThat(found).as("one %s %s event in %s", protocol, name, events).hasSize(1);
        return found.getFirst();
    }

    @Test
    void everyLineIsJsonWithTheEventsAndCountsOfTheTraffic() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("server", "--log-format", "json", "--verbose",
                "--tcp-port", "0", "--udp-port", "0", "--bind", "127.0.0.1")) {
            JsonNode tcpListening = parse(server.awaitLine("\"event\":\"listening\"", WAIT));
            JsonNode udpListening = parse(server.awaitLine("\"event\":\"listening\"", WAIT));
            assertThat(tcpListening.get("protocol").asText()).isEqualTo("tcp");
            assertThat(udpListening.get("protocol").asText()).isEqualTo("udp");
            int tcpPort = port(tcpListening);
            int udpPort = port(udpListening);

            byte[] sent = concat("hello\n".getBytes(UTF_8), HOSTILE);
            int clientPort;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcpPort)) {
                clientPort = s.getLocalPort();
                s.setSoTimeout(10_000);
                s.getOutputStream().write(sent);
                byte[] reply = readExactly(s.getInputStream(), sent.length);
                assertThat(Arrays.copyOf(reply, 6)).isEqualTo("HELLO\n".getBytes(UTF_8));
                s.shutdownOutput();
                assertThat(s.getInputStream().read()).as("the server closes after the client").isEqualTo(-1);
            }
            JsonNode closedLine = parse(server.awaitLine("\"event\":\"connection_closed\"", WAIT));
            assertThat(closedLine.get("peer").asText()).isEqualTo("127.0.0.1:" + clientPort);

            byte[] datagram = concat("hello udp ".getBytes(UTF_8), HOSTILE);
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.setSoTimeout(10_000);
                udp.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), udpPort));
                DatagramPacket reply = new DatagramPacket(new byte[200], 200);
                udp.receive(reply);
                assertThat(reply.getLength()).isEqualTo(datagram.length);
            }
            server.awaitLine("\"event\":\"datagram_answered\"", WAIT);

            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            List<JsonNode> events = new ArrayList<>();
            for (String line : server.stderr()) {
                JsonNode e = parse(line); // every line, or this throws
                assertThat(e.get("ts").asText()).matches(TS);
                assertThat(Instant.parse(e.get("ts").asText())).isBefore(Instant.now().plusSeconds(1));
                assertThat(e.get("level").asText()).isIn("debug", "info", "warning", "error");
                assertThat(e.get("message").isTextual()).isTrue();
                events.add(e);
            }

            JsonNode opened = only(events, "connection_opened", "tcp");
            assertThat(opened.get("local").asText()).isEqualTo("127.0.0.1:" + tcpPort);
            assertThat(opened.get("peer").asText()).isEqualTo("127.0.0.1:" + clientPort);
            assertThat(opened.get("level").asText()).isEqualTo("debug");

            JsonNode closed = only(events, "connection_closed", "tcp");
            assertThat(closed.get("local").asText()).isEqualTo("127.0.0.1:" + tcpPort);
            assertThat(closed.get("bytes_in").asLong()).isEqualTo(sent.length);
            assertThat(closed.get("bytes_out").asLong()).isEqualTo(sent.length);
            assertThat(closed.get("lines").asLong()).isEqualTo(2);
            assertThat(closed.get("reason").asText()).isEqualTo("client");
            assertThat(closed.get("duration_s").isNumber()).isTrue();
            assertThat(closed.get("duration_s").asDouble()).isBetween(0.0, 60.0);

            JsonNode answered = only(events, "datagram_answered", "udp");
            assertThat(answered.get("bytes_in").asLong()).isEqualTo(datagram.length);
            assertThat(answered.get("bytes_out").asLong()).isEqualTo(datagram.length);

            assertThat(only(events, "stopping", null).get("reason").asText()).isEqualTo("SIGTERM");
            JsonNode stopped = only(events, "stopped", null);
            assertThat(events.getLast()).isEqualTo(stopped);
            assertThat(stopped.get("level").asText()).isEqualTo("info");
            assertThat(stopped.get("tcp_connections").asLong()).isEqualTo(1);
            assertThat(stopped.get("tcp_refused").asLong()).isZero();
            assertThat(stopped.get("tcp_lines").asLong()).isEqualTo(2);
            assertThat(stopped.get("tcp_bytes_in").asLong()).isEqualTo(sent.length);
            assertThat(stopped.get("tcp_bytes_out").asLong()).isEqualTo(sent.length);
            assertThat(stopped.get("udp_datagrams").asLong()).isEqualTo(1);
            assertThat(stopped.get("udp_replies").asLong()).isEqualTo(1);
            assertThat(stopped.get("udp_bytes_in").asLong()).isEqualTo(datagram.length);
            assertThat(stopped.get("udp_bytes_out").asLong()).isEqualTo(datagram.length);
            assertThat(stopped.get("message").asText()).startsWith("stopped: tcp 1 connections (0 refused), 2 lines");
        }
    }

    @Test
    void theEnvironmentChoosesJsonAndWithoutVerboseThereAreNoConnectionEvents() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start(Map.of("UPCASE_LOG_FORMAT", "json"),
                "tcp-server", "--port", "0", "--bind", "127.0.0.1")) {
            int port = port(parse(server.awaitLine("\"event\":\"listening\"", WAIT)));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write("x\n".getBytes(UTF_8));
                assertThat(readExactly(s.getInputStream(), 2)).isEqualTo("X\n".getBytes(UTF_8));
            }
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            List<String> names = new ArrayList<>();
            for (String line : server.stderr()) {
                names.add(parse(line).get("event").asText());
            }
            assertThat(names).containsExactly("listening", "stopping", "stopped");
        }
    }

    @Test
    void aFailureToStartIsAJsonEventToo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                UpcaseProcess server = UpcaseProcess.start("tcp-server", "--log-format", "json",
                        "--port", String.valueOf(taken.getLocalPort()), "--bind", "127.0.0.1")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(Main.FAILURE);
            List<String> lines = server.stderr();
            assertThat(lines).hasSize(1);
            JsonNode failed = parse(lines.getFirst());
            assertThat(failed.get("event").asText()).isEqualTo("start_failed");
            assertThat(failed.get("level").asText()).isEqualTo("error");
            assertThat(failed.get("message").asText())
                    .startsWith("cannot listen on tcp 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new PrintStream(err, true, UTF_8), false);
        assertThat(Main.run(io, "udp-server", "--log-format", "yaml")).isEqualTo(Main.USAGE);
        assertThat(err.toString(UTF_8)).startsWith("upcase: ")
                .contains("--log-format").contains("expected text or json, not 'yaml'");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
