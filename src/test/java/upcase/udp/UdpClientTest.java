package upcase.udp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;

@Timeout(20)
class UdpClientTest {
    private static final Duration SHORT = Duration.ofMillis(150);

    @Test
    void returnsTheReply() throws IOException {
        try (UdpServer server = UdpServerTest.startOn("127.0.0.1", UpperCase.unicode());
                UdpClient client = new UdpClient(server.localAddress(), Duration.ofSeconds(2), 2)) {
            assertThat(client.request("straße".getBytes(UTF_8))).isEqualTo("STRASSE".getBytes(UTF_8));
            assertThat(client.request(new byte[0])).isEmpty();
            assertThat(client.request(new byte[Datagrams.MAX_PAYLOAD])).hasSize(Datagrams.MAX_PAYLOAD);
        }
    }

    @Test
    void worksOverIpv6() throws IOException {
        Ipv6.assumeLoopback();
        try (UdpServer server = UdpServerTest.startOn("::", UpperCase.unicode());
                UdpClient client = new UdpClient(Peer.at("::1", server), Duration.ofSeconds(2), 0)) {
            assertThat(client.request("hello".getBytes(UTF_8))).isEqualTo("HELLO".getBytes(UTF_8));
        }
    }

    @Test
    void givesUpAfterEveryTryTimedOut() throws IOException {
        try (Peer silent = Peer.bind("127.0.0.1");
                UdpClient client = new UdpClient(silent.address(), SHORT, 2)) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.request("anyone?".getBytes(UTF_8)))
                    .isInstanceOf(NoReplyException.class)
                    .hasMessage("no reply from " + SocketAddresses.format(silent.address()) + " after 3 tries");

            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            // Each try waits its full timeout; the upper bound is loose, it only catches a hang.
            assertThat(elapsed).isGreaterThanOrEqualTo(SHORT.multipliedBy(3)).isLessThan(Duration.ofSeconds(5));
            for (int i = 0; i < 3; i++) {
                assertThat(silent.receiveText()).isEqualTo("anyone?");
            }
            silent.assertNothingWithin(Duration.ofMillis(50));
        }
    }

    @Test
    void aClosedPortFailsEachTryAtOnce() throws IOException {
        InetSocketAddress closed;
        try (Peer gone = Peer.bind("127.0.0.1")) {
            closed = gone.address();
        }
        // A long timeout: only the ICMP port unreachable can end these tries quickly.
        try (UdpClient client = new UdpClient(closed, Duration.ofSeconds(10), 2)) {
            assertThatThrownBy(() -> client.request("hello?".getBytes(UTF_8)))
                    .isInstanceOfSatisfying(NoReplyException.class, e -> {
                        assertThat(e.portUnreachable()).isTrue();
                        assertThat(e.tries()).isEqualTo(3);
                    })
                    .hasMessage("no reply from " + SocketAddresses.format(closed) + " after 3 tries (port unreachable)");
        }
    }

    @Test
    void aLateReplyToAnEarlierRequestIsNotTakenForTheAnswer() throws Exception {
        try (Peer server = Peer.bind("127.0.0.1");
                UdpClient client = new UdpClient(server.address(), SHORT, 0)) {
            assertThatThrownBy(() -> client.request("first".getBytes(UTF_8))).isInstanceOf(NoReplyException.class);
            InetSocketAddress clientAddress = server.receiveWithSender("first");
            server.send("FIRST (late)", clientAddress); // queued at the client before it sends again

            CompletableFuture<byte[]> second = requestInBackground(client, "second");
            assertThat(server.receiveText()).isEqualTo("second");
            server.send("SECOND", clientAddress);

            assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("SECOND".getBytes(UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"question", ""}) // an empty request takes another path: see UdpClient.request
    void ignoresDatagramsFromAnyoneButTheServer(String question) throws Exception {
        try (Peer server = Peer.bind("127.0.0.1");
                Peer intruder = Peer.bind("127.0.0.1");
                UdpClient client = new UdpClient(server.address(), Duration.ofSeconds(5), 0)) {
            CompletableFuture<byte[]> reply = requestInBackground(client, question);
            InetSocketAddress clientAddress = server.receiveWithSender(question);
            intruder.send("FORGED", clientAddress);
            server.send("ANSWER", clientAddress);

            assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("ANSWER".getBytes(UTF_8));
        }
    }

    @Test
    void theWildcardAddressMeansThisHost() throws IOException {
        try (UdpServer server = UdpServerTest.startOn("127.0.0.1", UpperCase.unicode());
                UdpClient client = new UdpClient(Peer.at("0.0.0.0", server), Duration.ofSeconds(2), 0)) {
            assertThat(client.request("x".getBytes(UTF_8))).isEqualTo("X".getBytes(UTF_8));
            assertThat(client.request(new byte[0])).isEmpty();
        }
    }

    @Test
    void refusesAPayloadThatCannotBeOneDatagram() throws IOException {
        try (UdpClient client = new UdpClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), SHORT, 0)) {
            assertThatThrownBy(() -> client.request(new byte[Datagrams.MAX_PAYLOAD + 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("65508 bytes; a UDP datagram holds at most 65507");
        }
    }

    @Test
    void rejectsNonsensicalSettings() {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9876);
        assertThatThrownBy(() -> new UdpClient(server, Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UdpClient(server, SHORT, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UdpClient(InetSocketAddress.createUnresolved("example.invalid", 1), SHORT, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static CompletableFuture<byte[]> requestInBackground(UdpClient client, String text) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.request(text.getBytes(UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
