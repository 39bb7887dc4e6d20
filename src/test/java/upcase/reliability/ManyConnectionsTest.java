package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.support.UpcaseProcess;

/**
 * 20,000 concurrent connections to one server (issue 13), on a machine whose hard limit is
 * 20,000 open files per process, which nobody here may raise. So:
 *
 * <ul>
 *   <li>the server runs under {@code prlimit --nofile=20000:20000} (the hard limit, stated) with
 *       {@code --max-connections 19900}: 19,900 connections and its own ~60 descriptors fit, and a
 *       connection past the limit is accepted and closed at once, a clean refusal that needs one
 *       descriptor for a moment;
 *   <li>the clients are spread over processes: two {@code upcase bench idle} children open 9,950
 *       each, hold them, then send one line on every one and check each reply byte for byte
 *       (exit 0 only if every one was held and answered); this test's JVM opens the last 100,
 *       which must be refused;
 *   <li>afterwards the server's counters add up, it holds exactly the descriptors it held before,
 *       and a fresh client is served.
 * </ul>
 *
 * By default 2,000 connections (two of 950 and 100 refused), which exercises every step in a few
 * seconds; {@code -Dupcase.reliability.long=true} (the reliability profile) runs the 20,000.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {Engines.NIO, Engines.EPOLL, Engines.IO_URING})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ManyConnectionsTest {
    private static final boolean LONG = Boolean.getBoolean("upcase.reliability.long");
    private static final int TOTAL = LONG ? 20_000 : 2_000;
    private static final int REFUSED = 100;
    private static final int CHILDREN = 2;
    private static final int PER_CHILD = (TOTAL - REFUSED) / CHILDREN;
    private static final int SERVED = PER_CHILD * CHILDREN;
    /** This machine's hard limit per process, which nobody here may raise. */
    private static final int FILE_LIMIT = 20_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Engine engine;

    ManyConnectionsTest(Engine engine) {
        Engines.assumeRunnable(engine);
        this.engine = engine;
    }

    @Test
    void everyConnectionItAcceptsIsServedTheRestAreRefusedAndNothingLeaks() throws Exception {
        try (EngineServer server = EngineServer.startWithFileLimit(engine, FILE_LIMIT, List.of("-Xms512m", "-Xmx512m"),
                "tcp-server", "--max-connections", String.valueOf(SERVED))) {
            List<String> descriptors = server.descriptors();
            List<UpcaseProcess> children = new ArrayList<>();
            List<Report> reports = new ArrayList<>();
            List<Socket> refused = new ArrayList<>();
            try {
                for (int i = 0; i < CHILDREN; i++) {
                    // The hold outlasts the other child's connecting and this test's refusals:
                    // every connection is open at once.
                    UpcaseProcess child = UpcaseProcess.start(java.util.Map.of(), EngineServer.fileLimit(FILE_LIMIT),
                            List.of("-Xmx512m"), "bench", "idle", "127.0.0.1", String.valueOf(server.tcpPort()),
                            "--connections", String.valueOf(PER_CHILD), "--hold", LONG ? "40s" : "10s",
                            "--timeout", "60s");
                    children.add(child);
                    reports.add(Report.of(child));
                }
                Eventually.await(SERVED + " connections open", Duration.ofMinutes(3),
                        server.tcpCountsMatch(c -> c.active() == SERVED));
                for (int i = 0; i < REFUSED; i++) {
                    Socket s = new Socket(LOOPBACK, server.tcpPort());
                    s.setSoTimeout(20_000);
                    refused.add(s);
                }
                for (Socket s : refused) {
                    assertThat(endOfStream(s)).as("a connection past --max-connections is closed").isTrue();
                }
                Eventually.await("the refusals counted", Duration.ofSeconds(30),
                        server.tcpCountsMatch(c -> c.refused() == REFUSED && c.active() == SERVED));
                for (int i = 0; i < CHILDREN; i++) {
                    UpcaseProcess child = children.get(i);
                    int status = child.awaitExit(Duration.ofMinutes(3));
                    String report = reports.get(i).text();
                    assertThat(status).as("bench idle: " + report + child.stderr()).isZero();
                    assertThat(report).contains(String.valueOf(PER_CHILD));
                }
            } finally {
                children.forEach(UpcaseProcess::close);
                for (Socket s : refused) {
                    s.close();
                }
            }
            Eventually.await("every connection closed and counted", Duration.ofMinutes(1),
                    server.tcpCountsMatch(c -> c.active() == 0 && c.accepted() == SERVED && c.addUp()));
            server.awaitDescriptorsBackTo(descriptors, Duration.ofSeconds(30));
            try (Socket fresh = new Socket(LOOPBACK, server.tcpPort())) {
                fresh.setSoTimeout(20_000);
                Exchanges.assertAnswers(fresh, "after " + TOTAL + " connections\n");
            }
            System.out.printf("many connections (%s): %d served, %d refused%n", engine.label(), SERVED, REFUSED);
            server.stopCleanly(Duration.ofSeconds(60));
        }
    }

    /** A child's stdout (its report), read on a thread of its own so that a full pipe never blocks it. */
    private record Report(Thread reader, ByteArrayOutputStream out) {
        static Report of(UpcaseProcess child) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    child.process().getInputStream().transferTo(out);
                } catch (IOException e) {
                    // the child is gone
                }
            });
            return new Report(reader, out);
        }

        /** Once the child has exited: all it wrote. */
        String text() throws InterruptedException {
            reader.join(Duration.ofSeconds(10));
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Whether the server ended the connection: end of stream, or a reset. */
    private static boolean endOfStream(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException e) {
            return e.getMessage().contains("reset");
        }
    }
}
