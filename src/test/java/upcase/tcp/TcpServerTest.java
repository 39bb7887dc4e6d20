package upcase.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.upper;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.text.UpperCase;

/** The TCP server over real loopback sockets (PROTOCOL.md §TCP). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Isolated // sets the JVM's default locale (Turkish): no other test class runs meanwhile
class TcpServerTest {
    /** The engine under test; the Native subclass runs every test again on epoll. */
    Engine engine() {
        return Engine.NIO;
    }

    private final List<TcpServer> servers = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        servers.forEach(TcpServer::close);
    }

    private TcpServer start(TcpServerConfig config) throws IOException {
        TcpServer server = TcpServer.start(config.withEngine(engine()));
        servers.add(server);
        return server;
    }

    private TcpServer start() throws IOException {
        return start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    private Socket connect(TcpServer server) throws IOException {
        Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort());
        s.setSoTimeout(10_000);
        clients.add(s);
        return s;
    }

    private static byte[] exchange(Socket s, byte[] request) throws IOException {
        s.getOutputStream().write(request);
        s.shutdownOutput();
        return readAll(s.getInputStream());
    }

    @ParameterizedTest(name = "bound to {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void answersALineInUppercase(String address) throws IOException {
        TcpServer server = start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.ofLiteral(address), 0)));
        Socket s = connect(server);
        s.getOutputStream().write(utf8("hello world\n"));
        assertThat(readExactly(s.getInputStream(), 12)).isEqualTo(utf8("HELLO WORLD\n"));
    }

    @Test
    void wildcardBindServesIpv4AndIpv6() throws IOException {
        TcpServer server = start(TcpServerConfig.defaults(new InetSocketAddress(0)));
        for (String loopback : new String[] {"127.0.0.1", "::1"}) {
            try (Socket s = new Socket(InetAddress.ofLiteral(loopback), server.localAddress().getPort())) {
                assertThat(exchange(s, utf8("via " + loopback))).isEqualTo(upper("via " + loopback));
            }
        }
    }

    @Test
    void answersWithoutWaitingForALineEnd() throws IOException {
        // The textbook's Python client sends text with no LF, then does one recv (§TCP 2).
        Socket s = connect(start());
        s.getOutputStream().write(utf8("no line feed"));
        assertThat(readExactly(s.getInputStream(), 12)).isEqualTo(utf8("NO LINE FEED"));
    }

    @Test
    void answersEveryLineOfAConnectionAndKeepsTerminators() throws IOException {
        Socket s = connect(start());
        String request = "first\nsecond\r\nthird\n\nlast without lf";
        assertThat(exchange(s, utf8(request))).isEqualTo(upper(request));
    }

    @Test
    void pipelinesTenThousandLines() throws Exception {
        Socket s = connect(start());
        StringBuilder request = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            request.append("line ").append(i).append(" straße\n");
        }
        byte[] bytes = utf8(request.toString());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(bytes);
                s.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] reply = readAll(s.getInputStream());
        writer.get(10, TimeUnit.SECONDS);
        assertThat(utf8(reply)).isEqualTo(request.toString().toUpperCase(Locale.ROOT));
    }

    @Test
    void aLineWrittenOneByteAtATimeIsAnswered() throws IOException {
        Socket s = connect(start());
        s.setTcpNoDelay(true);
        byte[] line = utf8("größer ﬁx ΐ\n");
        OutputStream out = s.getOutputStream();
        for (byte b : line) {
            out.write(b);
            out.flush();
        }
        byte[] expected = upper("größer ﬁx ΐ\n");
        assertThat(readExactly(s.getInputStream(), expected.length)).isEqualTo(expected);
    }

    @Test
    void aSequenceSplitAcrossWritesWaitsForItsLastByte() throws IOException {
        Socket s = connect(start());
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(new byte[] {'a', (byte) 0xC3}); // 'a' then the first byte of ß
        assertThat(readExactly(in, 1)).isEqualTo(utf8("A"));
        out.write(new byte[] {(byte) 0x9F, '\n'});
        assertThat(readExactly(in, 3)).isEqualTo(utf8("SS\n"));
    }

    @Test
    void aTruncatedSequenceAtEndOfStreamPassesUnchanged() throws IOException {
        Socket s = connect(start());
        byte[] request = {'x', (byte) 0xE2, (byte) 0x82};
        assertThat(exchange(s, request)).containsExactly('X', (byte) 0xE2, (byte) 0x82);
    }

    @Test
    void illFormedBytesComeBackByteForByte() throws IOException {
        Socket s = connect(start());
        byte[] request = {'a', (byte) 0xFF, (byte) 0xC0, (byte) 0xAF, 'b', (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0x80, 'c', '\n'};
        byte[] expected = request.clone();
        expected[0] = 'A';
        expected[4] = 'B';
        expected[9] = 'C';
        assertThat(exchange(s, request)).isEqualTo(expected);
    }

    @Test
    void theDefaultLocaleDoesNotMatter() throws IOException {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            Socket s = connect(start());
            assertThat(exchange(s, utf8("quit istanbul\n"))).isEqualTo(utf8("QUIT ISTANBUL\n"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void asciiModeChangesOnlyAToZ() throws IOException {
        TcpServer server = start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withTransform(UpperCase.ascii()));
        byte[] request = utf8("straße abc\n");
        byte[] expected = utf8("STRAßE ABC\n");
        assertThat(exchange(connect(server), request)).isEqualTo(expected);
    }

    @Test
    void streamsATenMegabyteLineInBoundedMemory() throws Exception {
        Socket s = connect(start());
        byte[] chunk = utf8("abcdefghij ß ü 中 ".repeat(1000));
        int chunks = 10 * 1024 * 1024 / chunk.length + 1;
        byte[] expectedChunk = UpperCase.unicode().apply(chunk);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = s.getOutputStream(); // closing it would close the socket
                for (int i = 0; i < chunks; i++) {
                    out.write(chunk);
                }
                s.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        InputStream in = s.getInputStream();
        for (int i = 0; i < chunks; i++) {
            byte[] got = readExactly(in, expectedChunk.length);
            if (!Arrays.equals(got, expectedChunk)) {
                throw new AssertionError("chunk " + i + " differs");
            }
        }
        assertThat(in.read()).as("end of stream after the reply").isEqualTo(-1);
        writer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void halfCloseGetsTheRestThenEndOfStream() throws IOException {
        Socket s = connect(start());
        s.getOutputStream().write(utf8("tail"));
        s.shutdownOutput();
        InputStream in = s.getInputStream();
        assertThat(readExactly(in, 4)).isEqualTo(utf8("TAIL"));
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void twoHundredIdleClientsDoNotDelayANewOne() throws IOException {
        TcpServer server = start();
        for (int i = 0; i < 200; i++) {
            connect(server).getOutputStream().write(utf8("half a line, then silence"));
        }
        Eventually.await("200 connections open", Duration.ofSeconds(10), () -> server.stats().open() == 200);
        Socket fresh = connect(server);
        fresh.setSoTimeout(2_000);
        fresh.getOutputStream().write(utf8("me too\n"));
        assertThat(readExactly(fresh.getInputStream(), 7)).isEqualTo(utf8("ME TOO\n"));
    }

    @Test
    void aClientThatNeverReadsIsBackpressuredAndLosesNothing() throws Exception {
        TcpServer server = start();
        Socket greedy = connect(server);
        greedy.setSendBufferSize(64 * 1024);
        byte[] chunk = utf8("x".repeat(64 * 1024));
        long total = 256L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = greedy.getOutputStream();
                while (written.get() < total) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
                greedy.shutdownOutput();
            } catch (IOException e) {
                // the test closes the socket at the end
            }
        });
        // The writer stalls once the kernel buffers on both sides are full and the server stops reading.
        awaitStall(written);
        long stalledAt = written.get();
        assertThat(stalledAt).as("bytes accepted before the stall").isLessThan(64L * 1024 * 1024);
        assertThat(server.stats().bytesIn()).isLessThanOrEqualTo(stalledAt);
        // Another client is still served meanwhile.
        Socket other = connect(server);
        assertThat(exchange(other, utf8("still here"))).isEqualTo(utf8("STILL HERE"));
        // Once the greedy client reads, everything it sent comes back, transformed, nothing lost.
        InputStream in = greedy.getInputStream();
        byte[] buf = new byte[256 * 1024];
        long read = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != 'X') {
                    throw new AssertionError("byte " + (read + i) + " is " + buf[i]);
                }
            }
            read += n;
        }
        writer.join(Duration.ofSeconds(10));
        assertThat(read).isEqualTo(total);
    }

    private static void awaitStall(AtomicLong progress) {
        long last = -1;
        int stillFor = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (stillFor < 20) { // 20 polls of 25 ms with no progress
            long now = progress.get();
            stillFor = now == last ? stillFor + 1 : 0;
            last = now;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writer never stalled: " + now + " bytes written");
            }
            try {
                Thread.sleep(25); // polling interval while observing that progress has stopped
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        TcpServer server = start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withIdleTimeout(Duration.ofMillis(200)));
        Socket s = connect(server);
        long started = System.nanoTime();
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        Eventually.await("no connection open", Duration.ofSeconds(5), () -> server.stats().open() == 0);
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndCounted() throws IOException {
        TcpServer server = start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withMaxConnections(2));
        Socket first = connect(server);
        Socket second = connect(server);
        Eventually.await("two open", Duration.ofSeconds(5), () -> server.stats().open() == 2);
        Socket third = connect(server);
        assertThat(readOrReset(third)).isEqualTo(-1);
        assertThat(server.stats().refused()).isEqualTo(1);
        first.getOutputStream().write(utf8("a\n"));
        second.getOutputStream().write(utf8("b\n"));
        assertThat(readExactly(first.getInputStream(), 2)).isEqualTo(utf8("A\n"));
        assertThat(readExactly(second.getInputStream(), 2)).isEqualTo(utf8("B\n"));
    }

    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    @Test
    void closeDrainsEveryReplyForWhatTheServerHadRead() throws Exception {
        TcpServer server = start();
        Socket s = connect(server);
        OutputStream out = s.getOutputStream();
        out.write(utf8("before close\n"));
        Eventually.await("server has read the line", Duration.ofSeconds(5), () -> server.stats().bytesIn() == 13);
        server.close();
        InputStream in = s.getInputStream();
        assertThat(readAll(in)).isEqualTo(utf8("BEFORE CLOSE\n"));
        assertThat(server.stats().open()).isZero();
    }

    @Test
    void closeStopsAcceptingAndFreesThePort() throws IOException {
        TcpServer server = start();
        InetSocketAddress address = server.localAddress();
        server.close();
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                .isInstanceOf(java.net.ConnectException.class);
        TcpServer again = start(TcpServerConfig.defaults(address));
        assertThat(again.localAddress()).isEqualTo(address);
    }

    @Test
    void aTakenPortFailsWithTheAddressInTheMessage() throws IOException {
        TcpServer server = start();
        assertThatThrownBy(() -> start(TcpServerConfig.defaults(server.localAddress())))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("cannot listen on tcp 127.0.0.1:" + server.localAddress().getPort());
    }

    /**
     * A new connection per line, as the textbook client makes them, its FIN right behind its
     * line (shutdownOutput) or a full close without reading the reply: each is answered or
     * dropped, counted once, and closed by the server, and nothing of it stays registered.
     */
    @Test
    void clientsThatSendAndCloseAtOnceAreAnsweredAndCounted() throws IOException {
        TcpServer server = start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
                s.setSoTimeout(10_000);
                if (i % 2 == 0) {
                    assertThat(exchange(s, utf8("line " + i + "\n"))).isEqualTo(utf8("LINE " + i + "\n"));
                } else {
                    s.getOutputStream().write(utf8("line " + i + "\n")); // and closed unread
                }
            }
        }
        // Accepted as well as closed: the last client may be gone before the server accepts it,
        // and open() is 0 in between too.
        Eventually.await("every connection accepted and closed", Duration.ofSeconds(10),
                () -> server.stats().accepted() == 100 && server.stats().open() == 0);
        TcpStats stats = server.stats();
        assertThat(stats.accepted()).isEqualTo(100);
        assertThat(stats.closed()).isEqualTo(100);
        assertThat(stats.lines()).isEqualTo(100);
    }

    /** A client that connects and sends nothing is held, not closed, and answered when it does send. */
    @Test
    void aClientThatSendsNothingIsHeldAndAnsweredLater() throws IOException {
        TcpServer server = start();
        Socket silent = connect(server);
        Socket other = connect(server);
        Eventually.await("both accepted", Duration.ofSeconds(5), () -> server.stats().open() == 2);
        // Served meanwhile: the silent one holds nothing up.
        assertThat(exchange(other, utf8("other\n"))).isEqualTo(utf8("OTHER\n"));
        Eventually.await("the other one closed", Duration.ofSeconds(5), () -> server.stats().open() == 1);
        silent.getOutputStream().write(utf8("at last\n"));
        assertThat(readExactly(silent.getInputStream(), 8)).isEqualTo(utf8("AT LAST\n"));
        silent.close();
        Eventually.await("closed", Duration.ofSeconds(5), () -> server.stats().open() == 0);
        assertThat(server.stats().accepted()).isEqualTo(2);
    }

    @Test
    void countsConnectionsLinesAndBytes() throws IOException {
        TcpServer server = start();
        exchange(connect(server), utf8("one\ntwo\n"));
        exchange(connect(server), utf8("ß\n"));
        Eventually.await("both closed", Duration.ofSeconds(5), () -> server.stats().open() == 0);
        TcpStats stats = server.stats();
        assertThat(stats.accepted()).isEqualTo(2);
        assertThat(stats.lines()).isEqualTo(3);
        assertThat(stats.bytesIn()).isEqualTo(8 + 3);
        assertThat(stats.bytesOut()).isEqualTo(8 + 3);
    }
}
