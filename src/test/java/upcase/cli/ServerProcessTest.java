package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.NativeEngines;
import upcase.support.UpcaseProcess;

/** {@code upcase server} as a process: start-up lines, the environment, signals, the drain (PROTOCOL.md §Shutdown). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServerProcessTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    @Test
    void servesBothProtocolsAndExitsZeroOnSigtermWithASummary() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("server", "--tcp-port", "0", "--udp-port", "0")) {
            int tcpPort = server.awaitListening("tcp");
            int udpPort = server.awaitListening("udp");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcpPort)) {
                s.getOutputStream().write(utf8("hello tcp\n"));
                assertThat(readExactly(s.getInputStream(), 10)).isEqualTo(utf8("HELLO TCP\n"));
            }
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.setSoTimeout(5_000);
                byte[] payload = utf8("hello udp");
                udp.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), udpPort));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                udp.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(utf8("HELLO UDP"));
            }
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
            assertThat(server.stderr()).last().asString()
                    .startsWith("upcase: stopped: ")
                    .contains("tcp 1 connections (0 refused), 1 lines, 10 bytes in, 10 bytes out")
                    .contains("udp 1 datagrams");
        }
    }

    /** {@code --engine io_uring}: the start line names it and the threads, a datagram is answered, SIGTERM exits 0. */
    @Test
    void theUdpServerOnIoUringSaysSoAndAnswers() throws Exception {
        NativeEngines.assumeUring();
        try (UpcaseProcess server = UpcaseProcess.start("udp-server", "--port", "0", "--bind", "127.0.0.1",
                "--engine", "io_uring", "--udp-threads", "2")) {
            String line = server.awaitListeningLine("udp");
            assertThat(line).matches("upcase: udp listening on 127\\.0\\.0\\.1:\\d+ \\(engine io_uring, 2 threads\\)");
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.setSoTimeout(5_000);
                byte[] payload = utf8("hello ring");
                udp.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), UpcaseProcess.portOf(line)));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                udp.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(utf8("HELLO RING"));
            }
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void portsComeFromTheEnvironmentAndFlagsWin() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start(Map.of("UPCASE_TCP_PORT", "0", "UPCASE_UDP_PORT", "0",
                "UPCASE_BIND", "127.0.0.1"), "server")) {
            String tcp = server.awaitLine("tcp listening on", Duration.ofSeconds(20));
            assertThat(tcp).startsWith("upcase: tcp listening on 127.0.0.1:").doesNotEndWith(":6789");
            assertThat(server.awaitLine("udp listening on", Duration.ofSeconds(20))).doesNotEndWith(":9876");
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
        try (UpcaseProcess server = UpcaseProcess.start(Map.of("UPCASE_TCP_PORT", "not-a-port"), "tcp-server", "--port", "0")) {
            assertThat(server.awaitListening("tcp")).isPositive();
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void sigtermUnderLoadLosesNoReplyForAnythingTheServerHadRead() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--port", "0", "--bind", "127.0.0.1")) {
            int port = server.awaitListening("tcp");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                byte[] line = utf8("the quick brown fox jumps over the lazy dog\n");
                AtomicLong sent = new AtomicLong();
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        while (true) {
                            out.write(line);
                            sent.addAndGet(line.length);
                        }
                    } catch (IOException e) {
                        // the server has stopped reading and closed: expected
                    }
                });
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long received = 0;
                boolean signalled = false;
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte expected = line[(int) ((received + i) % line.length)];
                        expected = expected >= 'a' && expected <= 'z' ? (byte) (expected - 32) : expected;
                        if (buf[i] != expected) {
                            throw new AssertionError("reply byte " + (received + i) + " is wrong");
                        }
                    }
                    received += n;
                    if (!signalled && received > 1_000_000) {
                        server.terminate(); // mid-stream, with lines in flight both ways
                        signalled = true;
                    }
                }
                writer.join(Duration.ofSeconds(10));
                assertThat(server.awaitExit(EXIT)).isZero();
                Matcher m = Pattern.compile("(\\d+) bytes in, (\\d+) bytes out").matcher(server.stderr().getLast());
                assertThat(m.find()).as("summary line: " + server.stderr().getLast()).isTrue();
                long bytesIn = Long.parseLong(m.group(1));
                assertThat(Long.parseLong(m.group(2))).isEqualTo(bytesIn);
                assertThat(received).as("every byte the server read came back").isEqualTo(bytesIn);
                assertThat(bytesIn).isLessThanOrEqualTo(sent.get());
            }
        }
    }

    @Test
    void verboseLogsOneLinePerConnection() throws Exception {
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--verbose", "--port", "0", "--bind", "127.0.0.1")) {
            int port = server.awaitListening("tcp");
            int clientPort;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                clientPort = s.getLocalPort();
                s.getOutputStream().write(utf8("hello\n"));
                s.shutdownOutput();
                assertThat(s.getInputStream().readAllBytes()).isEqualTo(utf8("HELLO\n"));
            }
            assertThat(server.awaitLine(":" + clientPort + ":", Duration.ofSeconds(20)))
                    .isEqualTo("upcase: connection from 127.0.0.1:" + clientPort + ": 6 bytes in, 6 out, closed by client");
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void aKilledServerCanBeRestartedOnTheSamePortAtOnce() throws Exception {
        int port;
        try (UpcaseProcess first = UpcaseProcess.start("tcp-server", "--port", "0", "--bind", "127.0.0.1")) {
            port = first.awaitListening("tcp");
            // Leave a connection behind so the port has state in the kernel when the process dies.
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.getOutputStream().write(utf8("x\n"));
            readExactly(s.getInputStream(), 2);
            first.process().destroyForcibly();
            first.awaitExit(EXIT);
            s.close();
        }
        try (UpcaseProcess second = UpcaseProcess.start("tcp-server", "--port", String.valueOf(port), "--bind", "127.0.0.1")) {
            assertThat(second.awaitListening("tcp")).isEqualTo(port);
            second.terminate();
            assertThat(second.awaitExit(EXIT)).isZero();
        }
    }
}
