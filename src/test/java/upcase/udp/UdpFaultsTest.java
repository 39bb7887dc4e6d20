package upcase.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.fault.Faults;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.text.UpperCase;

/**
 * The UDP fault knobs over real loopback sockets (PROTOCOL.md §Faults), on the NIO engine;
 * {@link NativeUdpFaultsTest} runs them on the native one.
 */
@Timeout(60)
class UdpFaultsTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The engine asked for. */
    Engine engine() {
        return Engine.NIO;
    }

    private UdpServer start(Faults faults) throws IOException {
        return UdpServer.start(new UdpServerConfig(LOOPBACK, UpperCase.unicode()).withFaults(faults).withEngine(engine()));
    }

    private static Faults dropping(double rate, long seed) {
        return new Faults(Duration.ZERO, Duration.ZERO, rate, 0, 0, OptionalLong.of(seed));
    }

    private static Faults delaying(Duration delay) {
        return new Faults(delay, Duration.ZERO, 0, 0, 0, OptionalLong.empty());
    }

    /**
     * Sends datagrams "0" to "count - 1" in a burst (loopback keeps their order), waits until the
     * server has decided about each, and returns the numbers that came back.
     */
    private static TreeSet<Integer> answered(UdpServer server, int count) throws IOException {
        TreeSet<Integer> answered = new TreeSet<>();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            client.setReceiveBufferSize(1 << 20);
            for (int i = 0; i < count; i++) {
                byte[] payload = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
                client.send(new DatagramPacket(payload, payload.length, server.localAddress()));
            }
            Eventually.await("every datagram answered or dropped", Duration.ofSeconds(20),
                    () -> server.stats().repliesSent() + server.stats().faultDropped() == count);
            client.setSoTimeout(5_000);
            byte[] buf = new byte[100];
            while (answered.size() < server.stats().repliesSent()) {
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                client.receive(reply);
                answered.add(Integer.parseInt(new String(buf, 0, reply.getLength(), StandardCharsets.US_ASCII)));
            }
        }
        return answered;
    }

    @Test
    void aSeedDropsTheSameDatagramsInEveryRun() throws IOException {
        int count = 400;
        TreeSet<Integer> first;
        TreeSet<Integer> second;
        TreeSet<Integer> otherSeed;
        UdpStats stats;
        try (UdpServer server = start(dropping(0.3, 42))) {
            first = answered(server, count);
            server.close();
            stats = server.stats();
        }
        try (UdpServer server = start(dropping(0.3, 42))) {
            second = answered(server, count);
        }
        try (UdpServer server = start(dropping(0.3, 43))) {
            otherSeed = answered(server, count);
        }
        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        // Every datagram either answered or dropped by the knob, and about the share asked for.
        assertThat(stats.faultDropped()).isEqualTo(count - first.size()).isBetween(60L, 180L);
        assertThat(stats.received()).isEqualTo(count);
        assertThat(stats.repliesSent()).isEqualTo(first.size());
    }

    @Test
    void aDropRateOfOneAnswersNothingAndZeroAnswersEverything() throws IOException {
        try (UdpServer server = start(dropping(1, 1))) {
            assertThat(answered(server, 50)).isEmpty();
            assertThat(server.stats().faultDropped()).isEqualTo(50);
        }
        try (UdpServer server = start(dropping(0, 1))) {
            assertThat(answered(server, 50)).hasSize(50);
        }
    }

    @Test
    void aDelayedReplyWaitsAtLeastTheDelay() throws IOException {
        try (UdpServer server = start(delaying(Duration.ofMillis(300))); Peer client = Peer.bind("127.0.0.1")) {
            long sent = System.nanoTime();
            client.send("slow", server.localAddress());
            assertThat(client.receiveFrom(server.localAddress())).isEqualTo("SLOW".getBytes(StandardCharsets.UTF_8));
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(server.stats().delayed()).isEqualTo(1);
        }
    }

    /** The reply loop keeps receiving while replies wait: ten datagrams take one delay, not ten. */
    @Test
    void delayedRepliesDoNotHoldBackTheNextDatagrams() throws IOException {
        Duration delay = Duration.ofSeconds(1);
        try (UdpServer server = start(delaying(delay)); Peer client = Peer.bind("127.0.0.1")) {
            long sent = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                client.send("d" + i, server.localAddress());
            }
            for (int i = 0; i < 10; i++) {
                client.receiveFrom(server.localAddress());
            }
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isBetween(delay, delay.multipliedBy(4));
        }
    }

    /** Stopping loses no reply: those already held are sent before close() returns. */
    @Test
    void closeSendsTheHeldRepliesFirst() throws IOException {
        try (Peer client = Peer.bind("127.0.0.1")) {
            UdpServer server = start(delaying(Duration.ofMillis(500)));
            for (int i = 0; i < 20; i++) {
                client.send("held " + i, server.localAddress());
            }
            Eventually.await("every datagram held", Duration.ofSeconds(10), () -> server.stats().delayed() == 20);
            server.close();
            assertThat(server.forcedToStop()).isFalse();
            assertThat(server.stats().repliesSent()).isEqualTo(20);
            for (int i = 0; i < 20; i++) {
                assertThat(new String(client.receiveFrom(server.localAddress()), StandardCharsets.UTF_8)).startsWith("HELD ");
            }
        }
    }

    /** Memory stays bounded: past the bound, a reply is not held but dropped, and counted as a fault drop. */
    @Test
    void repliesOverTheBoundAreDroppedAndCounted() throws IOException {
        int size = 60_000;
        int count = (int) (DelayedReplies.MAX_HELD_BYTES / size) + 10;
        try (UdpServer server = start(delaying(Duration.ofSeconds(30))); Peer client = Peer.bind("127.0.0.1")) {
            byte[] payload = new byte[size];
            for (int i = 0; i < count; i++) {
                client.send(payload, server.localAddress());
                int received = i + 1;
                // One at a time: the kernel's receive buffer must not be what drops them.
                Eventually.await("datagram " + received + " received", Duration.ofSeconds(10),
                        () -> server.stats().received() == received);
            }
            UdpStats stats = server.stats();
            assertThat(stats.delayed()).isEqualTo(DelayedReplies.MAX_HELD_BYTES / size);
            assertThat(stats.faultDropped()).isEqualTo(count - stats.delayed());
        }
    }

    @Test
    void withoutKnobsNothingIsDelayedOrDropped() throws IOException {
        try (UdpServer server = start(Faults.NONE)) {
            assertThat(answered(server, 20)).hasSize(20);
            assertThat(server.stats().faultDropped()).isZero();
            assertThat(server.stats().delayed()).isZero();
        }
    }

}
