package upcase.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static upcase.support.Lines.upper;
import static upcase.support.Lines.utf8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.text.UpperCase;

/** The TCP client against real servers on loopback (PROTOCOL.md §Clients). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpClientTest {
    private TcpServer server;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderrBytes = new ByteArrayOutputStream();
    private final PrintStream stderr = new PrintStream(stderrBytes, true);

    @BeforeEach
    void start() throws IOException {
        server = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String host, int port, boolean interactive, boolean once, Duration timeout, byte[] input)
            throws IOException {
        return TcpClient.run(new TcpClientOptions(host, port, timeout, interactive, once),
                new ByteArrayInputStream(input), stdout, stderr);
    }

    private int run(boolean interactive, boolean once, byte[] input) throws IOException {
        return run("127.0.0.1", server.localAddress().getPort(), interactive, once, Duration.ofSeconds(10), input);
    }

    @Test
    void pipedSendsEveryLineAndWritesRepliesRaw() throws IOException {
        assertThat(run(false, false, utf8("one\ntwo\r\nstraße\n"))).isZero();
        assertThat(utf8(stdout.toByteArray())).isEqualTo("ONE\nTWO\r\nSTRASSE\n");
        assertThat(stderrBytes.toString()).isEmpty();
    }

    @Test
    void pipedIsBinarySafe() throws IOException {
        byte[] input = {'a', 0, (byte) 0xFF, (byte) 0xC3, '\n', 'b'};
        assertThat(run(false, false, input)).isZero();
        assertThat(stdout.toByteArray()).containsExactly('A', 0, (byte) 0xFF, (byte) 0xC3, '\n', 'B');
    }

    @Test
    void pipedPipelinesAMegabyteOfLines() throws IOException {
        String input = "a line of text, ünïcödé too\n".repeat(40_000);
        assertThat(run(false, false, utf8(input))).isZero();
        assertThat(stdout.toByteArray()).isEqualTo(upper(input));
        assertThat(server.stats().accepted()).isEqualTo(1);
    }

    @Test
    void emptyInputExitsZero() throws IOException {
        assertThat(run(false, false, new byte[0])).isZero();
        assertThat(stdout.toByteArray()).isEmpty();
    }

    @Test
    void atATerminalItPromptsAndPrefixesLikeTheTextbook() throws IOException {
        assertThat(run(true, false, utf8("hello\nworld"))).isZero();
        assertThat(utf8(stdout.toByteArray())).isEqualTo(
                "Input lowercase sentence: FROM SERVER: HELLO\n"
                        + "Input lowercase sentence: FROM SERVER: WORLD\n"
                        + "Input lowercase sentence: \n");
    }

    @Test
    void onceAnswersOneLineAndExits() throws IOException {
        assertThat(run(false, true, utf8("first\nsecond\n"))).isZero();
        assertThat(utf8(stdout.toByteArray())).isEqualTo("FIRST\n");
    }

    @Test
    void onceAtATerminal() throws IOException {
        assertThat(run(true, true, utf8("hi\n"))).isZero();
        assertThat(utf8(stdout.toByteArray())).isEqualTo("Input lowercase sentence: FROM SERVER: HI\n");
    }

    @Test
    void localhostFindsAServerOnEitherLoopback() throws IOException {
        assertThat(run("localhost", server.localAddress().getPort(), false, false, Duration.ofSeconds(5), utf8("x\n")))
                .isZero();
        assertThat(utf8(stdout.toByteArray())).isEqualTo("X\n");
    }

    @Test
    void aRefusedConnectionNamesTheAddress() throws IOException {
        int closedPort = freePort();
        assertThatThrownBy(() -> run("127.0.0.1", closedPort, false, false, Duration.ofSeconds(5), utf8("x\n")))
                .isInstanceOf(ConnectException.class)
                .hasMessage("cannot connect to 127.0.0.1:" + closedPort + ": Connection refused");
    }

    @Test
    void anUnknownHostIsNamed() {
        assertThatThrownBy(() -> run("no-such-host.invalid", 6789, false, false, Duration.ofSeconds(5), utf8("x\n")))
                .isInstanceOf(UnknownHostException.class)
                .hasMessage("unknown host no-such-host.invalid");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch testOver = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                    testOver.await(); // reads everything, answers nothing, never closes
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            int status = run("127.0.0.1", silent.getLocalPort(), false, false, Duration.ofMillis(300), utf8("hello?\n"));
            assertThat(status).isEqualTo(1);
            assertThat(stderrBytes.toString().strip())
                    .isEqualTo("upcase: no reply from 127.0.0.1:" + silent.getLocalPort() + " within 300ms");
            testOver.countDown();
        }
    }

    @Test
    void aServerThatAnswersButNeverClosesStillEndsTheRun() throws Exception {
        // Some servers ignore the half-close; once every line is answered the client stops anyway.
        try (ServerSocket stubborn = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = stubborn.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        s.getOutputStream().write(UpperCase.ascii().apply(java.util.Arrays.copyOf(buf, n)));
                    }
                    s.getInputStream().read(); // never closes first: waits for the client to go
                } catch (IOException e) {
                    // the client went away
                }
            });
            long started = System.nanoTime();
            assertThat(run("127.0.0.1", stubborn.getLocalPort(), false, false, Duration.ofSeconds(10), utf8("a\nb\n")))
                    .isZero();
            assertThat(utf8(stdout.toByteArray())).isEqualTo("A\nB\n");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aServerThatClosesEarlyIsReported() throws Exception {
        // The textbook's Python TCPServer: one recv, one reply, close.
        try (ServerSocket oneShot = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = oneShot.accept()) {
                    byte[] first = s.getInputStream().readNBytes(2);
                    s.getOutputStream().write(UpperCase.ascii().apply(first));
                } catch (IOException e) {
                    // the client went away
                }
            });
            int status = run("127.0.0.1", oneShot.getLocalPort(), true, false, Duration.ofSeconds(5), utf8("a\nb\nc\n"));
            assertThat(utf8(stdout.toByteArray())).startsWith("Input lowercase sentence: FROM SERVER: A\n");
            assertThat(stderrBytes.toString()).contains("127.0.0.1:" + oneShot.getLocalPort());
            assertThat(status).isEqualTo(1);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
