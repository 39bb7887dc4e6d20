package upcase.peer.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/peers/upcase_c_load.c, the independent generator compare.sh runs with
 * {@code --generator c}: a correct run against the C reference server over TCP, UDP and a new
 * connection per line, and every reply counted as a mismatch (and the run failed) against echo
 * servers that do not uppercase, so its checking is shown to check.
 */
class CLoadGeneratorTest {
    @TempDir
    Path dir;

    private record Run(int exit, String output, String json) {
        long figure(String name) {
            Matcher m = Pattern.compile("\"" + name + "\": ([0-9.]+)").matcher(json);
            assertTrue(m.find(), name + " missing from " + json);
            return (long) Double.parseDouble(m.group(1));
        }
    }

    private Run load(String... args) throws Exception {
        Path json = dir.resolve("run.json");
        Files.deleteIfExists(json);
        List<String> command = new ArrayList<>(List.of(CPeers.build().resolve("upcase-c-load").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--json", json.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the generator did not finish: " + output);
        return new Run(p.exitValue(), output, Files.exists(json) ? Files.readString(json) : "");
    }

    @Test
    void tcpAndUdpAgainstTheReferenceServerAreCorrect() throws Exception {
        try (CPeers.Server server = new CPeers.Server()) {
            Run tcp = load("tcp", "127.0.0.1", String.valueOf(server.tcpPort), "--connections", "20", "--depth", "4",
                    "--size", "64", "--duration", "500ms", "--warmup", "100ms", "--ascii");
            assertEquals(0, tcp.exit(), tcp.output());
            assertTrue(tcp.figure("replies") > 0, tcp.json());
            assertTrue(tcp.figure("sent") >= tcp.figure("replies"), tcp.json());
            assertEquals(0, tcp.figure("errors") + tcp.figure("mismatches"), tcp.json());

            Run udp = load("udp", "127.0.0.1", String.valueOf(server.udpPort), "--sockets", "8", "--depth", "4",
                    "--size", "64", "--duration", "500ms", "--timeout", "1s", "--ascii");
            assertEquals(0, udp.exit(), udp.output());
            assertTrue(udp.figure("replies") > 0, udp.json());
            assertEquals(0, udp.figure("errors") + udp.figure("mismatches"), udp.json());

            Run connect = load("connect", "127.0.0.1", String.valueOf(server.tcpPort), "--concurrency", "4",
                    "--size", "64", "--duration", "500ms", "--ascii");
            assertEquals(0, connect.exit(), connect.output());
            assertTrue(connect.figure("replies") > 0, connect.json());
            assertTrue(connect.figure("sent") >= connect.figure("replies"), connect.json());
            assertEquals(0, connect.figure("errors") + connect.figure("mismatches"), connect.json());
        }
    }

    @Test
    void anEchoServerOverTcpFailsEveryLine() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread acceptor = Thread.ofPlatform().name("echo-accept").start(() -> {
                try {
                    while (true) {
                        Socket s = listener.accept();
                        Thread.ofVirtual().start(() -> echo(s));
                    }
                } catch (IOException e) {
                    // the listener was closed: the test is over
                }
            });
            Run run = load("tcp", "127.0.0.1", String.valueOf(listener.getLocalPort()), "--connections", "2",
                    "--depth", "2", "--duration", "300ms", "--warmup", "0s");
            assertEveryReplyMismatched(run);
            // A new connection per line: every exchange's reply is the line itself.
            Run connect = load("connect", "127.0.0.1", String.valueOf(listener.getLocalPort()), "--concurrency", "2",
                    "--duration", "300ms");
            assertEveryReplyMismatched(connect);
            listener.close();
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void anEchoServerOverUdpFailsEveryDatagram() throws Exception {
        try (DatagramSocket echo = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Thread echoer = Thread.ofPlatform().name("echo-udp").start(() -> {
                byte[] buffer = new byte[65_536];
                try {
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                        echo.receive(p);
                        echo.send(new DatagramPacket(buffer, p.getLength(), p.getSocketAddress()));
                    }
                } catch (IOException e) {
                    // the socket was closed: the test is over
                }
            });
            Run run = load("udp", "127.0.0.1", String.valueOf(echo.getLocalPort()), "--sockets", "2", "--depth", "2",
                    "--duration", "300ms", "--timeout", "500ms");
            assertEveryReplyMismatched(run);
            echo.close();
            echoer.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void badUsageExitsTwoWithOneLineFirst() throws Exception {
        Run run = load("tcp", "127.0.0.1", "1", "--size", "8");
        assertEquals(2, run.exit());
        assertTrue(run.output().startsWith("upcase-c-load: out of range or not a number: --size\n"), run.output());
    }

    private static void assertEveryReplyMismatched(Run run) {
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.figure("mismatches") > 0, run.json());
        assertEquals(0, run.figure("replies"), run.json());
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the generator closed or reset the connection: normal at the end of its run
        }
    }
}
