package upcase.udp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.net.Durations;
import upcase.net.Engine;
import upcase.support.Descriptors;
import upcase.support.NativeEngines;
import upcase.text.UpperCase;

/**
 * What the native engine adds or risks over NIO: batches of mixed datagrams, several sockets on
 * one port, descriptors and native memory released, replies from the arrival address.
 */
@Timeout(60)
@Isolated // counts this JVM's open descriptors: no other test class runs meanwhile
class NativeEngineTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @BeforeEach
    void nativeEngine() {
        NativeEngines.assumeAvailable();
    }

    /** The engine under test; {@link UringEngineTest} runs every one of these on io_uring. */
    Engine engine() {
        return Engine.EPOLL;
    }

    UdpServer start(InetSocketAddress bind, int threads) throws IOException {
        return UdpServer.start(new UdpServerConfig(bind, UpperCase.unicode()).withEngine(engine()).withThreads(threads));
    }

    /** One burst fills a receive batch with every kind of datagram; each reply is its own, whole, in order. */
    @Test
    void aBatchOfMixedSizesEmptyAndIllFormedIsAnsweredDatagramByDatagram() throws IOException {
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < NativeReplyLoop.BATCH * 3; i++) {
            requests.add(switch (i % 6) {
                case 0 -> new byte[0];
                case 1 -> UdpServerTest.lowercaseText(Datagrams.MAX_PAYLOAD);
                case 2 -> new byte[] {(byte) 0xFF, 'a', (byte) 0xC3, 'b', (byte) 0xC3}; // invalid UTF-8
                case 3 -> UdpServerTest.lowercaseText(1 + i * 97);
                case 4 -> "straße".getBytes(UTF_8);
                default -> ("n" + i).getBytes(UTF_8);
            });
        }
        try (UdpServer server = start(LOOPBACK_ANY_PORT, 1); Peer client = Peer.bind("127.0.0.1")) {
            for (byte[] request : requests) {
                client.send(request, server.localAddress());
            }
            for (byte[] request : requests) {
                assertThat(client.receive()).isEqualTo(UpperCase.unicode().apply(request));
            }
            server.close();
            assertThat(server.stats().repliesSent()).isEqualTo(requests.size());
            assertThat(server.stats().bytesIn()).isEqualTo(requests.stream().mapToLong(r -> r.length).sum());
        }
    }

    /** With port 0, the other sockets join the port the first one got; every source is answered, on whichever socket. */
    @Test
    void threadsShareOnePortAndTheirCountersAddUp() throws IOException {
        try (UdpServer server = start(LOOPBACK_ANY_PORT, 3)) {
            assertThat(server.threads()).isEqualTo(3);
            assertThat(server.localAddress().getPort()).isNotZero();
            List<Peer> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    clients.add(Peer.bind("127.0.0.1"));
                }
                for (int i = 0; i < clients.size(); i++) {
                    assertThat(clients.get(i).ask("client " + i, server.localAddress())).isEqualTo("CLIENT " + i);
                }
            } finally {
                clients.forEach(Peer::close);
            }
            server.close();
            assertThat(server.stats().received()).isEqualTo(12);
            assertThat(server.stats().repliesSent()).isEqualTo(12);
        }
    }

    /**
     * Inherent race, as in UdpServerTest.closeAnswersWhatIsAlreadyQueued, here with several
     * clients spread over several sockets: every datagram sent before close() was queued (loopback
     * queues it within sendto), so every one is answered.
     */
    @Test
    void stopWhileABurstIsInFlightLosesNothing() throws IOException {
        int clients = 6;
        int each = 150;
        UdpServer server = start(LOOPBACK_ANY_PORT, 2);
        List<Peer> peers = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                peers.add(Peer.bind("127.0.0.1"));
            }
            for (int i = 0; i < each; i++) {
                for (int c = 0; c < clients; c++) {
                    peers.get(c).send("c" + c + " m" + i, server.localAddress());
                }
            }
            server.close();

            for (int c = 0; c < clients; c++) {
                for (int i = 0; i < each; i++) {
                    assertThat(peers.get(c).receiveText()).isEqualTo("C" + c + " M" + i);
                }
            }
            assertThat(server.stats().repliesSent()).isEqualTo((long) clients * each);
        } finally {
            server.close();
            peers.forEach(Peer::close);
        }
    }

    /**
     * Clients that send a new datagram for every reply keep the queue from emptying after the
     * stop, so the stop ends at the drain deadline (48 sockets x 64 in flight: close() took
     * 2.0 s on epoll and on io_uring here, 0.2-1.7 s at 16 x 64): the server's counters still add up
     * (received = answered + dropped), every reply it counts reaches a client and every one a
     * client gets is counted, and close() returns soon after the deadline.
     */
    @Test
    void aFloodThatOutlastsTheDrainDeadlineStillAddsUp() throws Exception {
        int sockets = 48;
        int window = 64;
        UdpServer server = start(LOOPBACK_ANY_PORT, 1);
        AtomicBoolean stopped = new AtomicBoolean();
        try (ExecutorService clients = Executors.newFixedThreadPool(sockets)) {
            List<Future<Long>> seen = new ArrayList<>();
            CountDownLatch flowing = new CountDownLatch(sockets);
            for (int c = 0; c < sockets; c++) {
                seen.add(clients.submit(() -> {
                    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                        peer.setSoTimeout(500); // after the stop: the server is gone once this passes without a reply
                        byte[] request = "closed loop".getBytes(UTF_8);
                        for (int i = 0; i < window; i++) {
                            peer.send(new DatagramPacket(request, request.length, server.localAddress()));
                        }
                        long replies = 0;
                        byte[] in = new byte[64];
                        for (;;) {
                            try {
                                peer.receive(new DatagramPacket(in, in.length));
                            } catch (SocketTimeoutException serverGone) {
                                if (stopped.get()) {
                                    return replies;
                                }
                                continue;
                            }
                            if (++replies == 100) {
                                flowing.countDown();
                            }
                            if (!stopped.get()) {
                                peer.send(new DatagramPacket(request, request.length, server.localAddress()));
                            }
                        }
                    }
                }));
            }
            assertThat(flowing.await(30, TimeUnit.SECONDS)).as("every client answered 100 times").isTrue();
            long start = System.nanoTime();
            server.close();
            long closeMillis = (System.nanoTime() - start) / 1_000_000;
            stopped.set(true);
            long replies = 0;
            for (Future<Long> each : seen) {
                replies += each.get();
            }
            UdpStats stats = server.stats();
            assertThat(stats.repliesSent() + stats.dropped()).as("received = answered + dropped").isEqualTo(stats.received());
            assertThat(replies).as("replies the clients got = replies counted").isEqualTo(stats.repliesSent());
            assertThat(closeMillis).as("close() took, ms").isLessThan(ReplyLoop.FINAL_DRAIN_NANOS / 1_000_000 + 5_000);
        } finally {
            stopped.set(true);
            server.close();
        }
    }

    /**
     * The load --udp-spin is for: 64 sockets each keeping 8 datagrams in flight (batches of
     * several, so the thread spins after each), 10,240 datagrams in all. Every one is answered
     * exactly, to its own socket, in its order, whatever the spin: off, the default, the longest.
     */
    @ParameterizedTest(name = "spin {0}")
    @ValueSource(strings = {"0", "20us", "1ms"})
    void sixtyFourSocketsEightInFlightAreEachAnsweredExactly(String spin) throws Exception {
        int sockets = 64;
        int window = 8;
        int windows = 20;
        UdpServerConfig config = new UdpServerConfig(LOOPBACK_ANY_PORT, UpperCase.unicode()).withEngine(engine())
                .withThreads(1).withSpin(Durations.parse(spin));
        try (UdpServer server = UdpServer.start(config);
                ExecutorService clients = Executors.newFixedThreadPool(sockets)) {
            List<Future<Integer>> answered = new ArrayList<>();
            for (int c = 0; c < sockets; c++) {
                int client = c;
                answered.add(clients.submit(() -> {
                    try (Peer peer = Peer.bind("127.0.0.1")) {
                        int exact = 0;
                        for (int w = 0; w < windows; w++) {
                            for (int i = 0; i < window; i++) {
                                peer.send("socket " + client + " datagram " + (w * window + i), server.localAddress());
                            }
                            for (int i = 0; i < window; i++) {
                                assertThat(peer.receiveText()).isEqualTo("SOCKET " + client + " DATAGRAM " + (w * window + i));
                                exact++;
                            }
                        }
                        return exact;
                    }
                }));
            }
            for (Future<Integer> each : answered) {
                assertThat(each.get()).isEqualTo(window * windows);
            }
            server.close();
            long total = (long) sockets * window * windows;
            assertThat(server.stats().received()).isEqualTo(total);
            assertThat(server.stats().repliesSent()).isEqualTo(total);
            assertThat(server.stats().dropped()).isZero();
        }
    }

    /** Every socket and every batch's memory goes with its thread: 50 servers later, no descriptor more. */
    @Test
    void startAndStopFiftyTimesLeavesNoDescriptorBehind() throws IOException {
        // One round first: the JDK opens descriptors of its own once (the C library, jars).
        try (UdpServer warmUp = start(LOOPBACK_ANY_PORT, 2); Peer client = Peer.bind("127.0.0.1")) {
            assertThat(client.ask("warm", warmUp.localAddress())).isEqualTo("WARM");
        }
        long before = Descriptors.open();
        for (int i = 0; i < 50; i++) {
            try (UdpServer server = start(LOOPBACK_ANY_PORT, 2)) {
                assertThat(server.threads()).isEqualTo(2);
            }
        }
        assertThat(Descriptors.open()).isEqualTo(before);
    }

    /**
     * A wildcard socket answers from the address the datagram came to. On Linux every address of
     * 127.0.0.0/8 is local, so 127.0.0.2 is a second address without root: a connected client
     * sends to it and accepts only replies from it. NIO's reply leaves from the address the route
     * picks, 127.0.0.1, and the connected client never sees it; the native engine's carries
     * IP_PKTINFO and leaves from 127.0.0.2.
     */
    @Test
    void aWildcardServerAnswersFromTheAddressTheDatagramCameTo() throws IOException {
        InetAddress second = InetAddress.getByName("127.0.0.2");
        for (String wildcard : List.of("0.0.0.0", "::")) {
            if (wildcard.equals("::")) {
                Ipv6.assumeLoopback();
            }
            InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(wildcard), 0);
            try (UdpServer server = start(bind, 2); Peer client = Peer.bind("127.0.0.1")) {
                InetSocketAddress to = new InetSocketAddress(second, server.localAddress().getPort());
                client.send("to the second address", to);
                assertThat(client.receiveWithSender("TO THE SECOND ADDRESS")).as(wildcard).isEqualTo(to);
            }
            try (UdpServer nio = UdpServer.start(new UdpServerConfig(bind, UpperCase.unicode()).withEngine(Engine.NIO));
                    Peer client = Peer.bind("127.0.0.1")) {
                InetSocketAddress to = new InetSocketAddress(second, nio.localAddress().getPort());
                client.send("to the second address", to);
                // The defect the native engine fixes: the reply claims to come from 127.0.0.1.
                assertThat(client.receiveWithSender("TO THE SECOND ADDRESS").getAddress())
                        .as(wildcard + " on nio").isEqualTo(InetAddress.getByName("127.0.0.1"));
            }
        }
    }

    /** A request of 65,507 bytes (the most a UDP datagram carries over IPv4) fits one slot and is answered whole. */
    @Test
    void theLargestDatagramIsAnsweredWhole() throws IOException {
        byte[] largest = UdpServerTest.lowercaseText(Datagrams.MAX_PAYLOAD);
        try (UdpServer server = start(LOOPBACK_ANY_PORT, 1); Peer client = Peer.bind("127.0.0.1")) {
            client.send(largest, server.localAddress());
            byte[] reply = client.receive();
            assertThat(reply).hasSize(Datagrams.MAX_PAYLOAD);
            assertThat(Arrays.equals(reply, UpperCase.unicode().apply(largest))).isTrue();
        }
    }
}
