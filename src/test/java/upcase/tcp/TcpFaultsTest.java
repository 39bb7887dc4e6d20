package upcase.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.fault.Faults;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.text.LineFeeds;

/** The TCP fault knobs over real loopback sockets (PROTOCOL.md §Faults). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpFaultsTest {
    /** The engine under test; the Native subclass runs every test again on epoll. */
    Engine engine() {
        return Engine.NIO;
    }

    /** Closed last-opened first: clients before their server, whose drain would wait for them. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @AfterEach
    void closeAll() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }

    private static Faults delay(Duration delay, Duration jitter) {
        return new Faults(delay, jitter, 0, 0, 0, OptionalLong.of(7));
    }

    private static Faults closeAfter(int n) {
        return new Faults(Duration.ZERO, Duration.ZERO, 0, n, 0, OptionalLong.empty());
    }

    private static Faults resetAfter(int n) {
        return new Faults(Duration.ZERO, Duration.ZERO, 0, 0, n, OptionalLong.empty());
    }

    private TcpServer start(Faults faults, int eventLoops) throws IOException {
        TcpServer server = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withEventLoops(eventLoops)
                .withFaults(faults)
                .withEngine(engine()));
        opened.push(server);
        return server;
    }

    private Socket connect(TcpServer server) throws IOException {
        Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort());
        s.setSoTimeout(20_000);
        s.setTcpNoDelay(true);
        opened.push(s);
        return s;
    }

    @Test
    void aDelayedReplyWaitsAtLeastTheDelay() throws IOException {
        TcpServer server = start(delay(Duration.ofMillis(300), Duration.ZERO), 1);
        Socket s = connect(server);
        long sent = System.nanoTime();
        s.getOutputStream().write(utf8("slow\n"));
        assertThat(readExactly(s.getInputStream(), 5)).isEqualTo(utf8("SLOW\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(server.stats().delayedReplies()).isEqualTo(1);
    }

    /**
     * One event loop, ten connections, each sending while the earlier ones' replies wait: a loop
     * that slept per reply would take ten delays; the timers take one (plus the load's noise).
     */
    @Test
    void delayedRepliesDoNotHoldBackOtherConnections() throws IOException {
        Duration delay = Duration.ofSeconds(2);
        TcpServer server = start(delay(delay, Duration.ZERO), 1);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sockets.add(connect(server));
        }
        long start = System.nanoTime();
        for (int i = 0; i < sockets.size(); i++) {
            sockets.get(i).getOutputStream().write(utf8("line " + i + "\n"));
        }
        for (int i = 0; i < sockets.size(); i++) {
            assertThat(readExactly(sockets.get(i).getInputStream(), 7)).isEqualTo(utf8("LINE " + i + "\n"));
        }
        Duration all = Duration.ofNanos(System.nanoTime() - start);
        assertThat(all).isGreaterThanOrEqualTo(delay).isLessThan(delay.multipliedBy(4));
    }

    @Test
    void aNewConnectionIsAcceptedAndAnsweredWhileAnotherReplyIsDelayed() throws IOException {
        TcpServer server = start(delay(Duration.ofMillis(500), Duration.ZERO), 1);
        Socket first = connect(server);
        first.getOutputStream().write(utf8("first\n"));
        Eventually.await("the first reply is held", Duration.ofSeconds(10), () -> server.stats().delayedReplies() == 1);
        Socket second = connect(server);
        second.getOutputStream().write(utf8("second\n"));
        assertThat(readExactly(second.getInputStream(), 7)).isEqualTo(utf8("SECOND\n"));
        assertThat(readExactly(first.getInputStream(), 6)).isEqualTo(utf8("FIRST\n"));
    }

    /**
     * Eight lines in flight at a time, so the server reads many batches, each held for its own
     * random time: the replies still come in order, because a connection is not read while a
     * reply of its waits.
     */
    @Test
    void pipelinedLinesWithJitterComeBackInOrder() throws Exception {
        TcpServer server = start(delay(Duration.ofMillis(1), Duration.ofMillis(10)), 2);
        Socket s = connect(server);
        int lines = 300;
        Semaphore window = new Semaphore(8);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < lines; i++) {
                    window.acquire();
                    out.write(utf8("line number " + i + "\n"));
                }
                s.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            expected.append("LINE NUMBER ").append(i).append('\n');
        }
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            replies.write(buf, 0, n);
            window.release(LineFeeds.count(buf, 0, n));
        }
        writer.join();
        assertThat(replies.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(server.stats().delayedReplies()).isGreaterThan(lines / 8);
    }

    @Test
    void closeAfterAnswersExactlyNLinesThenFinEvenWithMoreInTheSameRead() throws IOException {
        TcpServer server = start(closeAfter(3), 1);
        Socket s = connect(server);
        s.getOutputStream().write(utf8("a\nb\nc\nd\ne\n"));
        // EOF, not a reset: the server reads and drops what follows the third line feed.
        assertThat(utf8(readAll(s.getInputStream()))).isEqualTo("A\nB\nC\n");
        s.close();
        Eventually.await("the connection closed as a fault", Duration.ofSeconds(10),
                () -> server.stats().faultCloses() == 1 && server.stats().open() == 0);
    }

    @Test
    void closeAfterCountsLinesAcrossReads() throws IOException {
        TcpServer server = start(closeAfter(2), 1);
        Socket s = connect(server);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(utf8("one\n"));
        assertThat(readExactly(in, 4)).isEqualTo(utf8("ONE\n"));
        out.write(utf8("tw"));
        assertThat(readExactly(in, 2)).isEqualTo(utf8("TW"));
        out.write(utf8("o\nthree\n"));
        assertThat(utf8(readAll(in))).isEqualTo("O\n");
    }

    @Test
    void resetAfterAnswersExactlyNLinesThenResets() throws IOException {
        TcpServer server = start(resetAfter(2), 1);
        Socket s = connect(server);
        s.getOutputStream().write(utf8("a\nb\nc\n"));
        InputStream in = s.getInputStream();
        assertThat(readExactly(in, 4)).isEqualTo(utf8("A\nB\n"));
        assertThatThrownBy(() -> in.read()).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        Eventually.await("the reset counted", Duration.ofSeconds(10), () -> server.stats().faultResets() == 1);
    }

    @Test
    void closeAfterWaitsForTheDelayedLastReply() throws IOException {
        TcpServer server = start(new Faults(Duration.ofMillis(200), Duration.ZERO, 0, 1, 0, OptionalLong.empty()), 1);
        Socket s = connect(server);
        long sent = System.nanoTime();
        s.getOutputStream().write(utf8("only\nnever\n"));
        assertThat(utf8(readAll(s.getInputStream()))).isEqualTo("ONLY\n");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    /** Stopping loses no reply: one held by --delay is written before the drain closes the connection. */
    @Test
    void aDrainWritesTheDelayedReplyFirst() throws Exception {
        TcpServer server = start(delay(Duration.ofSeconds(1), Duration.ZERO), 1);
        Socket s = connect(server);
        s.getOutputStream().write(utf8("held\n"));
        Eventually.await("the reply is held", Duration.ofSeconds(10), () -> server.stats().delayedReplies() == 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        // The drain writes the reply, then a FIN; it ends when this client closes too.
        assertThat(utf8(readAll(s.getInputStream()))).isEqualTo("HELD\n");
        s.close();
        closing.get(20, TimeUnit.SECONDS);
        assertThat(server.stats().bytesOut()).isEqualTo(5);
    }

    @Test
    void withoutKnobsNothingIsCountedAsAFault() throws IOException {
        TcpServer server = start(Faults.NONE, 1);
        Socket s = connect(server);
        s.getOutputStream().write(utf8("a\nb\n"));
        assertThat(readExactly(s.getInputStream(), 4)).isEqualTo(utf8("A\nB\n"));
        TcpStats stats = server.stats();
        assertThat(List.of(stats.delayedReplies(), stats.faultCloses(), stats.faultResets())).containsOnly(0L);
    }
}
