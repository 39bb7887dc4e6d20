package upcase.peer.c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bench/peers/upcase_c_server.c, built by bench/peers/build-c.sh with the machine's gcc (skipped
 * where there is none), started on ephemeral ports and checked with real sockets on loopback:
 * the --ascii contract of docs/PROTOCOL.md as far as the benchmark relies on it.
 */
class CReferenceServerTest {
    private static final int TIMEOUT_MS = CPeers.TIMEOUT_MS;

    private static CPeers.Server server;
    private static int tcpPort;
    private static int udpPort;

    @BeforeAll
    static void buildAndStart() throws Exception {
        server = new CPeers.Server();
        tcpPort = server.tcpPort;
        udpPort = server.udpPort;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pipelinedLinesComeBackInOrder() throws IOException {
        StringBuilder request = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            request.append("line ").append(i).append(" of the quick brown fox\n");
        }
        byte[] sent = request.toString().getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(sent);
            assertArrayEquals(asciiUpper(sent), readExactly(socket.getInputStream(), sent.length));
        }
    }

    @Test
    void bytesAreAnsweredWithoutWaitingForALineEndAndOnlyAsciiLettersChange() throws IOException {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        try (Socket socket = connect()) {
            socket.getOutputStream().write("no line end".getBytes(StandardCharsets.US_ASCII));
            assertEquals("NO LINE END", new String(readExactly(socket.getInputStream(), 11), StandardCharsets.US_ASCII));
            socket.getOutputStream().write(every);
            assertArrayEquals(asciiUpper(every), readExactly(socket.getInputStream(), every.length));
        }
    }

    /** Larger than every socket buffer between the two sides: the server must hold back (TCP 7). */
    @Test
    void aMebibyteWrittenAtOnceComesBackWholeAndHalfCloseEndsTheConnection() throws Exception {
        byte[] sent = new byte[1 << 20];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i % 64 == 63 ? '\n' : 'a' + i % 26);
        }
        try (Socket socket = connect()) {
            // The write blocks until the server has read most of it, while this thread reads.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(sent);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertArrayEquals(asciiUpper(sent), readExactly(socket.getInputStream(), sent.length));
            writer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertEquals(-1, socket.getInputStream().read(), "the server closes after the client's half-close");
        }
    }

    @Test
    void aBatchOfDatagramsGetsOneReplyEach() throws IOException {
        int count = 300;
        Set<String> expected = new HashSet<>();
        try (DatagramSocket socket = datagrams()) {
            for (int i = 0; i < count; i++) {
                byte[] payload = ("datagram " + i + " " + "x".repeat(i % 200)).getBytes(StandardCharsets.US_ASCII);
                expected.add(new String(asciiUpper(payload), StandardCharsets.US_ASCII));
                socket.send(new DatagramPacket(payload, payload.length));
            }
            Set<String> received = new HashSet<>();
            byte[] buffer = new byte[65_536];
            for (int i = 0; i < count; i++) {
                DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                socket.receive(reply);
                assertTrue(received.add(new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII)), "a reply came twice");
            }
            assertEquals(expected, received);
        }
    }

    /** Sent through a DatagramChannel: a connected DatagramSocket sends no empty datagram. */
    @Test
    void datagramsFromEmptyToTheLargestComeBackExactly() throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            DatagramSocket socket = channel.socket();
            socket.setSoTimeout(TIMEOUT_MS);
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", udpPort);
            byte[] buffer = new byte[65_536];
            for (int size : new int[] {0, 1, 65_507}) {
                byte[] payload = new byte[size];
                for (int i = 0; i < size; i++) {
                    payload[i] = (byte) ('a' + i % 30);   // a-z and four bytes past z, which stay
                }
                assertEquals(size, channel.send(ByteBuffer.wrap(payload), target));
                DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                socket.receive(reply);
                assertEquals(size, reply.getLength());
                assertArrayEquals(asciiUpper(payload), Arrays.copyOf(buffer, size));
            }
        }
    }

    @Test
    void aBadPortIsAUsageErrorOfOneLine() throws Exception {
        Process bad = new ProcessBuilder(CPeers.build().resolve("upcase-c-server").toString(), "--tcp-port", "70000").start();
        bad.getOutputStream().close();
        String stderr = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(10, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        assertEquals("c: --tcp-port: not a port (0-65535): 70000\n", stderr);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", tcpPort), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    private static DatagramSocket datagrams() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setReceiveBufferSize(4 << 20);   // the whole batch's replies fit while the test sends
        socket.setSoTimeout(TIMEOUT_MS);
        socket.connect(new InetSocketAddress("127.0.0.1", udpPort));
        return socket;
    }

    private static byte[] asciiUpper(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'a' && out[i] <= 'z') {
                out[i] -= 'a' - 'A';
            }
        }
        return out;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        byte[] buffer = new byte[65_536];
        while (out.size() < n) {
            int r = in.read(buffer, 0, Math.min(buffer.length, n - out.size()));
            if (r < 0) {
                break;
            }
            out.write(buffer, 0, r);
        }
        return out.toByteArray();
    }
}
