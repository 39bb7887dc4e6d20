package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.reliability.Exchanges.assertAnswers;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.text.UpperCase;

/**
 * Peers that try to hurt the server; each must fail to (PROTOCOL.md §TCP 7-8, §UDP). A server
 * process on each engine, its counts read from its --metrics listener.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {Engines.NIO, Engines.EPOLL, Engines.IO_URING})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostilePeersTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final Engine engine;

    HostilePeersTest(Engine engine) {
        Engines.assumeRunnable(engine);
        this.engine = engine;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closeAfter.reversed()) {
            c.close();
        }
    }

    private EngineServer tcp(String... args) throws IOException, InterruptedException {
        EngineServer server = EngineServer.tcp(engine, args);
        closeAfter.add(server);
        return server;
    }

    private Socket connect(EngineServer server) throws IOException {
        Socket s = new Socket(LOOPBACK, server.tcpPort());
        s.setSoTimeout(10_000);
        closeAfter.add(s);
        return s;
    }

    @Test
    void slowlorisIsCutByTheIdleTimeoutAndNeverBlocksNewClients() throws Exception {
        EngineServer server = tcp("--idle-timeout", "500ms");
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Socket s = connect(server);
            s.getOutputStream().write('g'); // one byte of "GET / ...", then nothing for longer than the timeout
            slow.add(s);
        }
        assertAnswers(connect(server), "a new client is served at once\n");
        Eventually.await("the slow connections are cut", Duration.ofSeconds(20), server.tcpCountsMatch(c -> c.active() <= 1));
        for (Socket s : slow) {
            assertThat(readExactly(s.getInputStream(), 1)).containsExactly('G');
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aConnectionFloodBeyondTheLimitIsRefusedWhileExistingClientsAreServed() throws Exception {
        EngineServer server = tcp("--max-connections", "50");
        List<Socket> existing = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            existing.add(connect(server));
        }
        Eventually.await("50 open", Duration.ofSeconds(10), server.tcpCountsMatch(c -> c.active() == 50));
        for (int i = 0; i < 500; i++) {
            new Socket(LOOPBACK, server.tcpPort()).close();
        }
        Eventually.await("the flood refused", Duration.ofSeconds(20), server.tcpCountsMatch(c -> c.refused() == 500));
        for (Socket s : existing) {
            assertAnswers(s, "still served\n");
        }
    }

    @Test
    void tenThousandConnectAndCloseCyclesLeakNothing() throws Exception {
        EngineServer server = tcp();
        List<String> before = server.descriptors();
        for (int i = 0; i < 10_000; i++) {
            try (Socket s = new Socket(LOOPBACK, server.tcpPort())) {
                if (i % 2 == 0) {
                    s.setSoLinger(true, 0); // half of them leave with a reset
                }
            }
        }
        Eventually.await("every connection closed", Duration.ofSeconds(30),
                server.tcpCountsMatch(c -> c.active() == 0 && c.accepted() == 10_000 && c.addUp()));
        // Exactly the count before: a leak of even one descriptor in 10,000 connections shows.
        server.awaitDescriptorsBackTo(before, Duration.ofSeconds(15));
        assertAnswers(connect(server), "after ten thousand\n");
    }

    @Test
    void aPeerThatHalfClosesAndKeepsReadingGetsEverything() throws Exception {
        EngineServer server = tcp();
        Socket s = connect(server);
        byte[] big = utf8("ab\n".repeat(200_000));
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                s.getOutputStream().write(big);
                s.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] reply = s.getInputStream().readAllBytes();
        assertThat(reply).isEqualTo(UpperCase.unicode().apply(big));
        writer.join(Duration.ofSeconds(10));
        assertThat(writer.isAlive()).isFalse();
    }

    @Test
    void aUdpFloodFromManySourcesDoesNotBlockTcp() throws Exception {
        EngineServer server = EngineServer.start(engine, List.of(), List.of(), "server");
        closeAfter.add(server);
        InetSocketAddress udp = new InetSocketAddress(LOOPBACK, server.udpPort());
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        List<Thread> flooders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            flooders.add(Thread.ofPlatform().start(() -> {
                byte[] payload = utf8("flood ".repeat(200));
                List<DatagramSocket> sources = new ArrayList<>();
                try {
                    for (int i = 0; i < 16; i++) {
                        sources.add(new DatagramSocket(0, LOOPBACK));
                    }
                    DatagramPacket p = new DatagramPacket(payload, payload.length, udp);
                    while (flooding.get()) {
                        for (DatagramSocket source : sources) {
                            source.send(p);
                            sent.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                } finally {
                    sources.forEach(DatagramSocket::close);
                }
            }));
        }
        try {
            Eventually.await("the flood is under way", Duration.ofSeconds(20),
                    server.udpCountsMatch(c -> c.received() > 10_000));
            for (int i = 0; i < 50; i++) {
                Socket s = connect(server);
                s.setSoTimeout(5_000);
                assertAnswers(s, "tcp line " + i + " during the flood\n");
            }
        } finally {
            flooding.set(false);
            for (Thread f : flooders) {
                f.join();
            }
        }
        assertThat(sent.get()).isGreaterThan(10_000);
    }
}
