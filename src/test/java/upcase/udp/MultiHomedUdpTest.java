package upcase.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.NativeEngines;
import upcase.support.Tool;
import upcase.support.UpcaseProcess;

/**
 * PROTOCOL.md §UDP, replies from the arrival address, across real interfaces: network namespace
 * {@code srv} has two IPv4 and two IPv6 addresses on a veth whose other end is in {@code cli}.
 * The client there connects its socket to each address, as a connected UDP client does, so it
 * accepts only a reply from the address it sent to. Needs root (namespaces) and ip (iproute2);
 * python3 is the client, since it starts in milliseconds inside the namespace.
 */
@Timeout(180)
class MultiHomedUdpTest {
    private static final List<String> SERVER_V4 = List.of("10.77.0.1", "10.77.0.2");
    private static final List<String> SERVER_V6 = List.of("fd77::1", "fd77::2");
    /**
     * A connected socket per address: sends, prints {@code ADDRESS REPLY} or {@code ADDRESS LOST}.
     * A reply from another address is not delivered to a connected socket (or, once ICMP comes
     * back, a refusal): both are LOST.
     */
    private static final String CLIENT = """
            import socket, sys
            port = int(sys.argv[1])
            for address in sys.argv[2:]:
                s = socket.socket(socket.AF_INET6 if ':' in address else socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(1.5)
                s.connect((address, port))
                s.send(b'hello ' + address.encode())
                try:
                    print(address, s.recv(200).decode(), flush=True)
                except (socket.timeout, ConnectionRefusedError):
                    print(address, 'LOST', flush=True)
                s.close()
            """;

    private static Path ip;
    private static Path python;
    private static final String SUFFIX = Long.toString(ProcessHandle.current().pid() % 100_000);
    private static final String SRV = "upcase-srv-" + SUFFIX;
    private static final String CLI = "upcase-cli-" + SUFFIX;
    private static boolean made;

    @BeforeAll
    static void namespaces() throws Exception {
        Tool.requireRoot("network namespaces for a multi-homed server");
        ip = Tool.require("ip", "iproute2");
        python = Tool.require("python3", "python3");
        NativeEngines.assumeAvailable();
        made = true;
        run(ip.toString(), "netns", "add", SRV);
        run(ip.toString(), "netns", "add", CLI);
        run(ip.toString(), "link", "add", "us" + SUFFIX, "netns", SRV, "type", "veth", "peer", "name", "uc" + SUFFIX, "netns", CLI);
        in(SRV, "ip", "link", "set", "lo", "up");
        in(SRV, "ip", "link", "set", "us" + SUFFIX, "up");
        in(CLI, "ip", "link", "set", "lo", "up");
        in(CLI, "ip", "link", "set", "uc" + SUFFIX, "up");
        for (String address : SERVER_V4) {
            in(SRV, "ip", "addr", "add", address + "/24", "dev", "us" + SUFFIX);
        }
        for (String address : SERVER_V6) {
            // nodad: usable at once, not after duplicate address detection's second or so.
            in(SRV, "ip", "-6", "addr", "add", address + "/64", "dev", "us" + SUFFIX, "nodad");
        }
        in(CLI, "ip", "addr", "add", "10.77.0.100/24", "dev", "uc" + SUFFIX);
        in(CLI, "ip", "-6", "addr", "add", "fd77::100/64", "dev", "uc" + SUFFIX, "nodad");
    }

    @AfterAll
    static void removeNamespaces() throws Exception {
        if (made) {
            // Deleting a namespace deletes its veth end, and with it the pair.
            runQuietly(ip.toString(), "netns", "del", SRV);
            runQuietly(ip.toString(), "netns", "del", CLI);
        }
    }

    @Test
    void aDualStackWildcardAnswersEveryAddressFromThatAddressAlsoOneAddedWhileItRuns() throws Exception {
        try (UpcaseProcess server = serve("epoll", "::")) {
            int port = server.awaitListening("udp");
            List<String> all = new ArrayList<>(SERVER_V4);
            all.addAll(SERVER_V6);
            assertThat(ask(port, all)).as("every address answered").allSatisfy((address, reply) ->
                    assertThat(reply).isEqualTo("HELLO " + address.toUpperCase()));

            in(SRV, "ip", "addr", "add", "10.77.0.3/24", "dev", "us" + SUFFIX);
            in(SRV, "ip", "-6", "addr", "add", "fd77::3/64", "dev", "us" + SUFFIX, "nodad");
            try {
                assertThat(ask(port, List.of("10.77.0.3", "fd77::3"))).as("addresses added after start")
                        .containsEntry("10.77.0.3", "HELLO 10.77.0.3").containsEntry("fd77::3", "HELLO FD77::3");
            } finally {
                in(SRV, "ip", "addr", "del", "10.77.0.3/24", "dev", "us" + SUFFIX);
                in(SRV, "ip", "-6", "addr", "del", "fd77::3/64", "dev", "us" + SUFFIX);
            }
        }
    }

    @Test
    void anIpv4WildcardAnswersEachIpv4AddressFromThatAddress() throws Exception {
        try (UpcaseProcess server = serve("epoll", "0.0.0.0")) {
            int port = server.awaitListening("udp");
            assertThat(ask(port, SERVER_V4)).containsEntry("10.77.0.1", "HELLO 10.77.0.1").containsEntry("10.77.0.2", "HELLO 10.77.0.2");
        }
    }

    /**
     * The defect the native engine fixes: NIO cannot say which address a reply leaves from, so
     * the route picks the interface's first, 10.77.0.1, and a client that asked 10.77.0.2
     * never gets its reply.
     */
    @Test
    void onNioAReplyToTheSecondAddressLeavesFromTheFirstAndIsLost() throws Exception {
        try (UpcaseProcess server = serve("nio", "::")) {
            int port = server.awaitListening("udp");
            assertThat(ask(port, SERVER_V4)).containsEntry("10.77.0.1", "HELLO 10.77.0.1").containsEntry("10.77.0.2", "LOST");
        }
    }

    private static UpcaseProcess serve(String engine, String bind) throws IOException {
        return UpcaseProcess.startPrefixed(List.of(ip.toString(), "netns", "exec", SRV),
                "udp-server", "--bind", bind, "--port", "0", "--engine", engine);
    }

    /** Each address's reply, or LOST, from the client namespace. */
    private static Map<String, String> ask(int port, List<String> addresses) throws Exception {
        List<String> command = new ArrayList<>(List.of(ip.toString(), "netns", "exec", CLI, python.toString(), "-c", CLIENT, "" + port));
        command.addAll(addresses);
        String output = run(command);
        Map<String, String> replies = new LinkedHashMap<>();
        output.lines().forEach(line -> replies.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
        assertThat(replies.keySet()).as(output).containsExactlyElementsOf(addresses);
        return replies;
    }

    private static void in(String namespace, String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of(ip.toString(), "netns", "exec", namespace));
        all.addAll(List.of(command));
        run(all);
    }

    private static String run(String... command) throws Exception {
        return run(List.of(command));
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + output).isZero();
        return output;
    }

    private static void runQuietly(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
