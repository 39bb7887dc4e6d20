package upcase.peer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The peer on each native transport, as compare.sh runs it: a child JVM on ephemeral ports,
 * answering pipelined lines over TCP and a batch of datagrams over UDP on loopback. A transport
 * this host cannot run is skipped with Netty's reason.
 */
class TransportTest {
    private static final Pattern LISTENING = Pattern.compile("^netty: (tcp|udp) listening on 127\\.0\\.0\\.1:(\\d+)$");
    private static final int TIMEOUT_MS = 30_000;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servesLinesAndDatagrams(Transport transport) throws Exception {
        String unavailable = transport.unavailable();
        assumeTrue(unavailable == null, () -> unavailable + ": skipping");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process peer = new ProcessBuilder(java.toString(), "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                NettyUpcaseServer.class.getName(), "--transport", transport.label(), "--ascii",
                "--tcp-port", "0", "--udp-port", "0").redirectErrorStream(true).start();
        try {
            peer.getOutputStream().close();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the peer exited
                }
            });
            int tcpPort = 0;
            int udpPort = 0;
            String transportLine = null;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (tcpPort == 0 || udpPort == 0) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertNotNull(line, "the peer printed no listening lines in time");
                Matcher m = LISTENING.matcher(line);
                if (line.startsWith("netty: transport ")) {
                    transportLine = line;
                } else if (m.matches() && m.group(1).equals("tcp")) {
                    tcpPort = Integer.parseInt(m.group(2));
                } else if (m.matches()) {
                    udpPort = Integer.parseInt(m.group(2));
                }
            }
            assertEquals("netty: transport " + transport.label(), transportLine);

            StringBuilder request = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                request.append("line ").append(i).append(" abc\n");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", tcpPort), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                byte[] sent = request.toString().getBytes(StandardCharsets.US_ASCII);
                socket.getOutputStream().write(sent);
                byte[] reply = socket.getInputStream().readNBytes(sent.length);
                assertEquals(request.toString().toUpperCase(), new String(reply, StandardCharsets.US_ASCII));
            }
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                socket.setSoTimeout(TIMEOUT_MS);
                socket.connect(new InetSocketAddress("127.0.0.1", udpPort));
                for (int i = 0; i < 50; i++) {
                    byte[] payload = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(payload, payload.length));
                }
                Set<String> replies = new TreeSet<>();
                byte[] buffer = new byte[2048];
                for (int i = 0; i < 50; i++) {
                    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                    socket.receive(reply);
                    replies.add(new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII));
                }
                Set<String> expected = new TreeSet<>();
                for (int i = 0; i < 50; i++) {
                    expected.add("DATAGRAM " + i);
                }
                assertEquals(expected, replies);
            }
        } finally {
            peer.destroy();
            if (!peer.waitFor(10, TimeUnit.SECONDS)) {
                peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anUnknownTransportIsNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transport.of("kqueue"));
        assertEquals("--transport: epoll or io_uring, not kqueue", e.getMessage());
        assertEquals(Transport.IO_URING, Transport.of("io_uring"));
    }
}
