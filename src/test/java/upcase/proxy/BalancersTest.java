package upcase.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.support.UpcaseProcess;

/**
 * upcase behind real load balancers from Debian's packages, each sending a PROXY header
 * (docs/PROTOCOL.md §PROXY, docs/OPERATIONS.md §Behind HAProxy and nginx): a client on a second
 * loopback address, 127.0.0.2, is answered through the balancer, and the server's JSON log
 * names that client, not the balancer on 127.0.0.1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BalancersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> SERVER = List.of("tcp-server", "--port", "0", "--bind", "127.0.0.1",
            "--verbose", "--log-format", "json");
    private static final List<String> PROXY = List.of("--proxy-protocol", "--proxy-trusted", "127.0.0.1/32");

    @TempDir
    Path dir;

    interface BalancerStart {
        Balancer start(int upstream) throws IOException;
    }

    private static UpcaseProcess upcase(Map<String, String> env, List<String> extra) throws IOException {
        List<String> args = new ArrayList<>(SERVER);
        args.addAll(extra);
        return UpcaseProcess.start(env, args.toArray(String[]::new));
    }

    private static int listeningPort(UpcaseProcess server) throws Exception {
        String local = JSON.readTree(server.awaitLine("\"event\":\"listening\"", WAIT)).get("local").asText();
        return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
    }

    /** Lines from 127.0.0.2 through the balancer: answered, and logged as 127.0.0.2's. Returns the server's log. */
    private List<JsonNode> clientThrough(UpcaseProcess server, BalancerStart start) throws Exception {
        int upstream = listeningPort(server);
        try (Balancer balancer = start.start(upstream)) {
            for (int i = 0; i < 2; i++) {
                try (Socket s = balancer.connectFrom("127.0.0.2")) {
                    byte[] lines = ("hello through the balancer " + i + "\nsecond line\n").getBytes(UTF_8);
                    s.getOutputStream().write(lines);
                    assertThat(readExactly(s.getInputStream(), lines.length))
                            .isEqualTo(new String(lines, UTF_8).toUpperCase().getBytes(UTF_8));
                    JsonNode opened = JSON.readTree(server.awaitLine("\"peer\":\"127.0.0.2:" + s.getLocalPort() + "\"", WAIT));
                    assertThat(opened.get("event").asText()).isEqualTo("connection_opened");
                    assertThat(opened.get("proxy").asText()).as("the balancer").startsWith("127.0.0.1:");
                    assertThat(opened.get("message").asText()).startsWith("connection from 127.0.0.2:" + s.getLocalPort() + " via 127.0.0.1:");
                }
            }
            return stop(server);
        }
    }

    private static List<JsonNode> stop(UpcaseProcess server) throws Exception {
        server.terminate();
        assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : server.stderr()) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).as("no warnings or errors").noneMatch(e -> e.get("level").asText().matches("warning|error"));
        return events;
    }

    private static List<JsonNode> closesFrom(List<JsonNode> events, String peerPrefix) {
        return events.stream().filter(e -> e.get("event").asText().equals("connection_closed"))
                .filter(e -> e.get("peer").asText().startsWith(peerPrefix)).toList();
    }

    @Test
    void haproxySendProxyV1() throws Exception {
        try (UpcaseProcess server = upcase(Map.of(), PROXY)) {
            List<JsonNode> events = clientThrough(server, up -> Balancer.haproxy(dir, up, "send-proxy", ""));
            assertThat(closesFrom(events, "127.0.0.2:")).hasSize(2);
        }
    }

    @Test
    void haproxySendProxyV2() throws Exception {
        try (UpcaseProcess server = upcase(Map.of(), PROXY)) {
            List<JsonNode> events = clientThrough(server, up -> Balancer.haproxy(dir, up, "send-proxy-v2", ""));
            List<JsonNode> closes = closesFrom(events, "127.0.0.2:");
            assertThat(closes).hasSize(2);
            assertThat(closes).allMatch(e -> e.get("bytes_in").asLong() == e.get("bytes_out").asLong());
        }
    }

    @Test
    void nginxStreamProxyProtocolWithTheOptionsFromTheEnvironment() throws Exception {
        Map<String, String> env = Map.of("UPCASE_PROXY_PROTOCOL", "true", "UPCASE_PROXY_TRUSTED", "127.0.0.1/32");
        try (UpcaseProcess server = upcase(env, List.of())) {
            List<JsonNode> events = clientThrough(server, up -> Balancer.nginx(dir, up));
            assertThat(closesFrom(events, "127.0.0.2:")).hasSize(2);
        }
    }

    /** HAProxy's health checks, a plain connect and a tcp-check, with the header and without: no warnings. */
    @Test
    void haproxyHealthChecksAreServedQuietly() throws Exception {
        String[][] variants = {
            {"send-proxy-v2 check inter 100ms", ""},
            {"send-proxy check inter 100ms", "option tcp-check"},
            // An explicit connect rule sends a header only when told to (without, the check is refused).
            {"send-proxy-v2 check inter 100ms", "option tcp-check\n    tcp-check connect send-proxy\n"
                    + "    tcp-check send-binary 50494e470a\n    tcp-check expect string PING"},
        };
        for (String[] variant : variants) {
            Path own = dir.resolve("checks" + List.of(variants).indexOf(variant));
            java.nio.file.Files.createDirectories(own);
            try (UpcaseProcess server = upcase(Map.of(), PROXY)) {
                int upstream = listeningPort(server);
                try (Balancer balancer = Balancer.haproxy(own, upstream, variant[0], variant[1])) {
                    for (int i = 0; i < 3; i++) {
                        server.awaitLine("\"event\":\"connection_closed\"", WAIT); // a check came and went
                    }
                    assertThat(balancer.output()).as(String.join(" / ", variant)).doesNotContain("is DOWN");
                    List<JsonNode> events = stop(server);
                    assertThat(events.stream().filter(e -> e.get("event").asText().equals("stopped")))
                            .allMatch(e -> e.get("tcp_refused").asLong() == 0);
                }
            }
        }
    }
}
