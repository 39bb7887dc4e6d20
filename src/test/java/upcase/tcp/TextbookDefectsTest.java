package upcase.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.upper;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import upcase.net.Engine;
import upcase.support.Descriptors;
import upcase.support.Eventually;

/**
 * Each TCP defect the textbook's programs were seen to have (the defects table in examples/README.md), shown
 * gone. The UDP ones are in upcase.udp's tests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Isolated // counts this JVM's open descriptors: no other test class runs meanwhile
class TextbookDefectsTest {
    /** The engine under test; the Native subclass runs every test again on epoll. */
    Engine engine() {
        return Engine.NIO;
    }

    private TcpServer server;

    @BeforeEach
    void start() throws IOException {
        server = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withEngine(engine()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void aSecondLineOnTheSameConnectionIsAnswered() throws IOException {
        // Java TCPServer: one readLine() per connection; the second line waited forever.
        try (Socket s = connect()) {
            s.getOutputStream().write(utf8("first\n"));
            assertThat(readExactly(s.getInputStream(), 6)).isEqualTo(utf8("FIRST\n"));
            s.getOutputStream().write(utf8("second\n"));
            assertThat(readExactly(s.getInputStream(), 7)).isEqualTo(utf8("SECOND\n"));
        }
    }

    @Test
    void connectionsAreClosedAndNoDescriptorsPileUp() throws Exception {
        // Java TCPServer: connectionSocket never closed; descriptors piled up in CLOSE_WAIT.
        long before = Descriptors.open();
        for (int i = 0; i < 200; i++) {
            try (Socket s = connect()) {
                s.getOutputStream().write(utf8("client " + i + "\n"));
                s.shutdownOutput();
                assertThat(readAll(s.getInputStream())).isEqualTo(upper("client " + i + "\n"));
            }
        }
        Eventually.await("all connections closed", Duration.ofSeconds(10), () -> server.stats().open() == 0);
        assertThat(Descriptors.open()).isLessThanOrEqualTo(before + 5);
    }

    @Test
    void anIdleFirstClientDoesNotBlockASecond() throws IOException {
        // Java and Python TCPServer: one client at a time; an idle first client blocked everyone.
        try (Socket idle = connect(); Socket second = connect()) {
            second.getOutputStream().write(utf8("not blocked\n"));
            assertThat(readExactly(second.getInputStream(), 12)).isEqualTo(utf8("NOT BLOCKED\n"));
            idle.getOutputStream().write(utf8("now me\n"));
            assertThat(readExactly(idle.getInputStream(), 7)).isEqualTo(utf8("NOW ME\n"));
        }
    }

    @Test
    void aClientThatClosesWithoutSendingDoesNotHurtTheServer() throws IOException {
        // Java TCPServer: readLine() returned null at EOF and the server died (NullPointerException).
        connect().close();
        try (Socket s = connect()) {
            s.setSoLinger(true, 0); // a reset, not a FIN
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(utf8("alive\n"));
            assertThat(readExactly(s.getInputStream(), 6)).isEqualTo(utf8("ALIVE\n"));
        }
    }

    @Test
    void aClientThatResetsWhileItsReplyIsWrittenDoesNotHurtTheServer() throws IOException {
        // Java TCPServer: a reset during the write killed the server (SocketException).
        Socket s = connect();
        s.getOutputStream().write(utf8("x".repeat(1 << 20)));
        s.setSoLinger(true, 0);
        s.close();
        Eventually.await("the reset connection is gone", Duration.ofSeconds(10), () -> server.stats().open() == 0);
        try (Socket t = connect()) {
            t.getOutputStream().write(utf8("still serving\n"));
            assertThat(readExactly(t.getInputStream(), 14)).isEqualTo(utf8("STILL SERVING\n"));
        }
    }

    @Test
    void aReplyLeavesInOneWriteSoOneRecvGetsIt() throws IOException {
        // Java TCPServer: writeBytes() sent 28 bytes as 18 segments; the Python client's one recv got "M".
        try (Socket s = connect()) {
            s.getOutputStream().write(utf8("message\n"));
            byte[] buf = new byte[64];
            int n = s.getInputStream().read(buf);
            assertThat(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("MESSAGE\n");
        }
    }

    @Test
    void nonLatinTextIsNotMangled() throws IOException {
        // Java TCPServer: writeBytes() dropped the high byte of each char; "ğüş" went out as 1E DC 5E.
        try (Socket s = connect()) {
            s.getOutputStream().write(utf8("ğüş\n"));
            assertThat(readExactly(s.getInputStream(), 7)).isEqualTo(utf8("ĞÜŞ\n"));
        }
    }

    @Test
    void aLineLongerThan1024BytesComesBackWhole() throws IOException {
        // Python TCPServer: one recv(1024); a 3,000-byte line came back as 1,024 bytes and a reset.
        String line = "abc".repeat(1000) + "\n";
        try (Socket s = connect()) {
            s.getOutputStream().write(utf8(line));
            s.shutdownOutput();
            assertThat(readAll(s.getInputStream())).isEqualTo(upper(line));
        }
    }

    @Test
    void aCharacterStraddlingByte1024IsTransformedWhole() throws IOException {
        // Python TCPServer: a UTF-8 character across the 1,024-byte read raised UnicodeDecodeError.
        String line = "a".repeat(1023) + "ß" + "b".repeat(2000) + "\n";
        try (Socket s = connect()) {
            s.getOutputStream().write(utf8(line));
            s.shutdownOutput();
            assertThat(readAll(s.getInputStream())).isEqualTo(upper(line));
        }
    }

    @Test
    void aHundredSimultaneousClientsAllGetThrough() throws Exception {
        // Python TCPServer: listen(1) and one client at a time; only a few of 100 got through.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String line = "client number " + i + "\n";
                Callable<byte[]> client = () -> {
                    try (Socket s = connect()) {
                        s.getOutputStream().write(utf8(line));
                        s.shutdownOutput();
                        return readAll(s.getInputStream());
                    }
                };
                replies.add(pool.submit(client));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(replies.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(upper("client number " + i + "\n"));
            }
        }
    }
}
