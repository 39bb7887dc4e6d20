package upcase.udp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.net.ClientTerminal;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;

@Timeout(20)
class UdpClientRunTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private UdpServer server;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        server = UdpServerTest.startOn("127.0.0.1", UpperCase.unicode());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private int run(InetSocketAddress to, boolean interactive, boolean once, byte[] input) {
        UdpClientOptions options = new UdpClientOptions(to.getAddress().getHostAddress(), to.getPort(), TIMEOUT, 0, interactive, once);
        try {
            return UdpClient.run(options, new ByteArrayInputStream(input), stdout, new PrintStream(stderr, true, UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int run(boolean interactive, boolean once, String input) {
        return run(server.localAddress(), interactive, once, input.getBytes(UTF_8));
    }

    private String out() {
        return stdout.toString(UTF_8);
    }

    private String err() {
        return stderr.toString(UTF_8);
    }

    @Test
    void pipedWritesOnlyTheRepliesOnePerLine() {
        int exit = run(false, false, "hello\n\nstraße\r\nlast line without newline");

        assertThat(out()).isEqualTo("HELLO\n\nSTRASSE\nLAST LINE WITHOUT NEWLINE\n");
        assertThat(err()).isEmpty();
        assertThat(exit).isZero();
    }

    @Test
    void interactivePromptsAndPrefixesLikeTheTextbook() {
        int exit = run(true, false, "hello\nworld\n");

        String p = ClientTerminal.PROMPT;
        String r = ClientTerminal.REPLY_PREFIX;
        assertThat(out()).isEqualTo(p + r + "HELLO\n" + p + r + "WORLD\n" + p + "\n");
        assertThat(exit).isZero();
    }

    @Test
    void onceSendsOnlyTheFirstLine() {
        int exit = run(false, true, "first\nsecond\n");

        assertThat(out()).isEqualTo("FIRST\n");
        assertThat(server.stats().received()).isEqualTo(1);
        assertThat(exit).isZero();
    }

    @Test
    void anUnansweredLineIsReportedAndTheNextOneStillGoes() {
        // The server answers nothing that would grow beyond one datagram; U+0390 triples in bytes.
        String tooBigWhenUppercased = "ΐ".repeat(Datagrams.MAX_PAYLOAD / 2);

        int exit = run(false, false, tooBigWhenUppercased + "\nnext\n");

        assertThat(out()).isEqualTo("NEXT\n");
        assertThat(err()).isEqualTo("upcase: no reply from " + SocketAddresses.format(server.localAddress()) + " after 1 try\n");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void noServerMeansExitOneWithAMessagePerLine() throws IOException {
        InetSocketAddress closed;
        try (Peer gone = Peer.bind("127.0.0.1")) {
            closed = gone.address();
        }
        int exit = run(closed, false, false, "a\nb\n".getBytes(UTF_8));

        String expected = "upcase: no reply from " + SocketAddresses.format(closed) + " after 1 try (port unreachable)\n";
        assertThat(err()).isEqualTo(expected + expected);
        assertThat(out()).isEmpty();
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void aLineTooLongForADatagramIsSkippedWithOneMessage() {
        int exit = run(false, false, "first\n" + "x".repeat(70_000) + "\nthird\n");

        assertThat(out()).isEqualTo("FIRST\nTHIRD\n");
        assertThat(err()).isEqualTo("upcase: line 2 is 70000 bytes; a UDP datagram holds at most 65507\n");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void bytesGoThroughUndecoded() {
        byte[] input = {'a', (byte) 0xFF, 'b', '\n'};

        int exit = run(server.localAddress(), false, false, input);

        assertThat(stdout.toByteArray()).containsExactly('A', (byte) 0xFF, 'B', '\n');
        assertThat(exit).isZero();
    }

    @Test
    void noInputIsNotAnError() {
        assertThat(run(false, false, "")).isZero();
        assertThat(out()).isEmpty();
    }

    @Test
    void optionsRefuseNonsense() {
        assertThatThrownBy(() -> new UdpClientOptions("localhost", 0, TIMEOUT, 0, false, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UdpClientOptions("localhost", 9876, Duration.ZERO, 0, false, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UdpClientOptions("localhost", 9876, TIMEOUT, -1, false, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsAreTheProtocolsThreeTriesOfOneSecond() {
        assertThat(UdpClientOptions.DEFAULT_TIMEOUT).isEqualTo("1s");
        assertThat(UdpClientOptions.DEFAULT_RETRIES).isEqualTo(2);
        assertThat(UdpClientOptions.DEFAULT_HOST).isEqualTo("localhost");
    }
}
