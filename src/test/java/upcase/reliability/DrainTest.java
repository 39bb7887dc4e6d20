package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.support.UpcaseProcess;

/** SIGTERM under load (PROTOCOL.md §Shutdown): every byte the server read is answered, and it exits 0 in time. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {Engines.NIO, Engines.EPOLL, Engines.IO_URING})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DrainTest {
    private static final int CLIENTS = 50;
    /**
     * ASCII, so that a reply byte stands for exactly one request byte: the drain may end a
     * stream anywhere, and a character cut there would rightly come back as its raw bytes.
     */
    private static final byte[] LINE = utf8("pack my box with five dozen liquor jugs\n");
    private static final byte[] UPPER = utf8("PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS\n");

    private final Engine engine;

    DrainTest(Engine engine) {
        Engines.assumeRunnable(engine);
        this.engine = engine;
    }

    @Test
    void sigtermUnderFullLoadLosesNoReplyForAnythingRead() throws Exception {
        // A generous drain timeout: the clients still have megabytes of replies in their socket
        // buffers to read and check, and this machine is shared. The bound itself is the next test's.
        try (UpcaseProcess server = Engines.start(engine, "tcp-server", "--port", "0", "--bind", "127.0.0.1",
                "--drain-timeout", "60s")) {
            int port = Engines.awaitListening(server, "tcp", engine);
            List<StreamingClient> clients = new ArrayList<>();
            long[] received = new long[CLIENTS];
            long signalledAt;
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(new StreamingClient(port, LINE, UPPER));
                }
                Eventually.await("every client receiving", Duration.ofSeconds(60),
                        () -> clients.stream().allMatch(c -> c.received() > 0));
                signalledAt = System.nanoTime();
                server.terminate();
                for (int c = 0; c < CLIENTS; c++) {
                    received[c] = clients.get(c).awaitEnd(Duration.ofSeconds(60));
                }
            } finally {
                for (StreamingClient c : clients) {
                    c.close();
                }
            }
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - signalledAt)).isLessThan(Duration.ofSeconds(60));
            String summary = server.stderr().getLast();
            Matcher m = Pattern.compile("(\\d+) bytes in, (\\d+) bytes out").matcher(summary);
            assertThat(m.find()).as(summary).isTrue();
            long totalReceived = java.util.Arrays.stream(received).sum();
            // Each client checked its replies byte for byte; the bytes out of the server all arrived.
            assertThat(totalReceived).isEqualTo(Long.parseLong(m.group(2)));
            assertThat(Long.parseLong(m.group(1))).as("every byte the server read was answered").isEqualTo(totalReceived);
        }
    }

    @Test
    void aClientThatNeverReadsCannotHoldShutdownPastTheDrainTimeout() throws Exception {
        try (UpcaseProcess server = Engines.start(engine, "tcp-server", "--port", "0", "--bind", "127.0.0.1",
                "--drain-timeout", "1s")) {
            int port = Engines.awaitListening(server, "tcp", engine);
            try (Socket greedy = new Socket(InetAddress.getLoopbackAddress(), port)) {
                java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream out = greedy.getOutputStream();
                        byte[] chunk = new byte[64 * 1024];
                        java.util.Arrays.fill(chunk, (byte) 'q');
                        while (true) {
                            out.write(chunk);
                            written.addAndGet(chunk.length);
                        }
                    } catch (IOException e) {
                        // closed by the server at the drain timeout
                    }
                });
                Eventually.await("a megabyte sent and never read", Duration.ofSeconds(20),
                        () -> written.get() > 1 << 20);
                long signalledAt = System.nanoTime();
                server.terminate();
                assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - signalledAt)).isLessThan(Duration.ofSeconds(6));
                writer.join(Duration.ofSeconds(10));
            }
        }
    }
}
