package upcase.udp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.net.Engine;
import upcase.text.UpperCase;

/** The NIO engine's; {@link NativeUdpServerTest} runs every one of these on the native engine. */
@Timeout(20)
class UdpServerTest {

    /** The engine under test. */
    Engine engine() {
        return Engine.NIO;
    }

    /**
     * On the default engine (auto), with one serving thread: one socket, so one queue answered in
     * order whatever the sources, which the tests that use this rely on (several threads keep
     * the order of each source only).
     */
    static UdpServer startOn(String host, UpperCase transform) throws IOException {
        return UdpServer.start(new UdpServerConfig(new InetSocketAddress(InetAddress.getByName(host), 0), transform).withThreads(1));
    }

    UdpServer start(String host, UpperCase transform) throws IOException {
        return UdpServer.start(config(new InetSocketAddress(InetAddress.getByName(host), 0), transform));
    }

    UdpServerConfig config(InetSocketAddress bind, UpperCase transform) {
        return new UdpServerConfig(bind, transform).withEngine(engine());
    }

    @Test
    void runsOnTheEngineAskedFor() throws IOException {
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode())) {
            assertThat(server.engine()).isEqualTo(engine());
        }
    }

    /**
     * Stops the server and returns its counters, which are final once the serving thread has
     * ended. (A client can hold its reply before the server has counted it as sent.)
     */
    static UdpStats finalStats(UdpServer server) {
        server.close();
        return server.stats();
    }

    static byte[] lowercaseText(int length) {
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            text[i] = (byte) (i % 27 == 26 ? ' ' : 'a' + i % 27);
        }
        return text;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1400, 8192, 65_507})
    void answersExactlyTheUppercasedBytesWhateverTheSize(int size) throws IOException {
        byte[] payload = lowercaseText(size);
        byte[] expected = new String(payload, UTF_8).toUpperCase(Locale.ROOT).getBytes(UTF_8);
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            client.send(payload, server.localAddress());

            // Exactly the transformed bytes: no NUL padding to a fixed buffer size, nothing cut.
            assertThat(client.receiveFrom(server.localAddress())).isEqualTo(expected);
            assertThat(finalStats(server).bytesOut()).isEqualTo(size);
        }
    }

    @Test
    void aShortDatagramAfterALongOneCarriesNothingOfTheLongOne() throws IOException {
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            assertThat(client.ask("the quick brown fox jumps o", server.localAddress())).isEqualTo("THE QUICK BROWN FOX JUMPS O");

            client.send("hello", server.localAddress());

            assertThat(client.receive()).isEqualTo("HELLO".getBytes(UTF_8));
        }
    }

    @Test
    void uppercasesUnicodeEvenWhenTheTextGrows() throws IOException {
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            assertThat(client.ask("straße", server.localAddress())).isEqualTo("STRASSE");
            assertThat(client.ask("ğüş ǰ", server.localAddress())).isEqualTo("ĞÜŞ J̌");
        }
    }

    @Test
    void passesIllFormedBytesUnchanged() throws IOException {
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            client.send(new byte[] {(byte) 0xFF, 'a', (byte) 0xC3, 'b', (byte) 0xC3}, server.localAddress());

            assertThat(client.receive()).containsExactly((byte) 0xFF, 'A', (byte) 0xC3, 'B', (byte) 0xC3);
        }
    }

    @Test
    void asciiModeChangesOnlyAToZ() throws IOException {
        try (UdpServer server = start("127.0.0.1", UpperCase.ascii()); Peer client = Peer.bind("127.0.0.1")) {
            assertThat(client.ask("straße mit ü", server.localAddress())).isEqualTo("STRAßE MIT ü");
        }
    }

    @Test
    void aWildcardBoundServerAnswersIpv4AndIpv6Clients() throws IOException {
        Ipv6.assumeLoopback();
        try (UdpServer server = start("::", UpperCase.unicode());
                Peer v4 = Peer.bind("127.0.0.1");
                Peer v6 = Peer.bind("::1")) {
            assertThat(v4.ask("over ipv4", Peer.at("127.0.0.1", server))).isEqualTo("OVER IPV4");
            assertThat(v6.ask("over ipv6", Peer.at("::1", server))).isEqualTo("OVER IPV6");
            assertThat(server.localAddress().getAddress().isAnyLocalAddress()).isTrue();
        }
    }

    @Test
    void servesOnIpv6Loopback() throws IOException {
        Ipv6.assumeLoopback();
        try (UdpServer server = start("::1", UpperCase.unicode()); Peer client = Peer.bind("::1")) {
            assertThat(client.ask("hello", server.localAddress())).isEqualTo("HELLO");
        }
    }

    @Test
    void eachReplyGoesToItsSender() throws IOException {
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode());
                Peer alice = Peer.bind("127.0.0.1");
                Peer bob = Peer.bind("127.0.0.1")) {
            alice.send("alice 1", server.localAddress());
            bob.send("bob 1", server.localAddress());
            alice.send("alice 2", server.localAddress());
            bob.send("bob 2", server.localAddress());

            assertThat(List.of(alice.receiveText(), alice.receiveText())).containsExactly("ALICE 1", "ALICE 2");
            assertThat(List.of(bob.receiveText(), bob.receiveText())).containsExactly("BOB 1", "BOB 2");
        }
    }

    @Test
    void aReplyThatWouldNotFitADatagramIsNotSentAndServingGoesOn() throws IOException {
        // U+0390 is 2 UTF-8 bytes and uppercases to 3 code points, 6 bytes: 65,507 bytes in, 65,511 out.
        // (ß would not do: "SS" is as many bytes as "ß".)
        byte[] payload = new byte[Datagrams.MAX_PAYLOAD];
        Arrays.fill(payload, (byte) 'a');
        payload[payload.length - 2] = (byte) 0xCE;
        payload[payload.length - 1] = (byte) 0x90;
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            client.send(payload, server.localAddress());
            client.send("next", server.localAddress());

            // One socket queue, served in order: the first reply to arrive must be the one to "next".
            assertThat(client.receiveText()).isEqualTo("NEXT");
            UdpStats stats = finalStats(server);
            assertThat(stats.dropped(Drop.OVERSIZE)).isEqualTo(1);
            assertThat(stats.repliesSent()).isEqualTo(1);
        }
    }

    @Test
    void sharpSKeepsTheByteCountSoAFullDatagramStillFits() throws IOException {
        byte[] payload = new byte[Datagrams.MAX_PAYLOAD];
        Arrays.fill(payload, (byte) 'a');
        byte[] sharpS = "ß".getBytes(UTF_8);
        System.arraycopy(sharpS, 0, payload, 0, sharpS.length);
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            client.send(payload, server.localAddress());

            byte[] reply = client.receive();

            assertThat(reply).hasSize(Datagrams.MAX_PAYLOAD);
            assertThat(new String(reply, 0, 4, UTF_8)).isEqualTo("SSAA");
        }
    }

    @Test
    void keepsServingAfterGarbage() throws IOException {
        byte[] garbage = new byte[512];
        new java.util.Random(42).nextBytes(garbage);
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            client.send(garbage, server.localAddress());
            assertThat(client.receive()).isEqualTo(UpperCase.unicode().apply(garbage));

            assertThat(client.ask("still here", server.localAddress())).isEqualTo("STILL HERE");
        }
    }

    @Test
    void keepsServingWhenAClientLeavesBeforeItsReply() throws IOException {
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer stayer = Peer.bind("127.0.0.1")) {
            for (int i = 0; i < 20; i++) {
                try (Peer leaver = Peer.bind("127.0.0.1")) {
                    leaver.send("gone " + i, server.localAddress());
                }
                // Whether the reply met the closed port (ICMP port unreachable) or arrived first
                // depends on scheduling; either way the next client must be answered.
                assertThat(stayer.ask("round " + i, server.localAddress())).isEqualTo("ROUND " + i);
            }
            UdpStats stats = finalStats(server);
            assertThat(stats.dropped(Drop.SEND_FAILED)).isZero();
            assertThat(stats.repliesSent()).isEqualTo(40);
        }
    }

    @Test
    void closeAnswersWhatIsAlreadyQueued() throws IOException {
        // Inherent race, and what is asserted despite it: the server may answer some or all of
        // the 100 datagrams before close() is called; how many are still in the socket queue at
        // that moment depends on scheduling. On loopback sendto() returns after the datagram is
        // in the server's queue, so every one of them was either answered or queued when close()
        // was called, and close() must answer all queued ones before it closes the socket.
        // Asserted: all 100 replies arrive, in order, and the counters agree.
        int count = 100;
        UdpServer server = start("127.0.0.1", UpperCase.unicode());
        try (Peer client = Peer.bind("127.0.0.1")) {
            for (int i = 0; i < count; i++) {
                client.send("message " + i, server.localAddress());
            }
            server.close();

            List<String> replies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                replies.add(client.receiveText());
            }
            assertThat(replies).first().isEqualTo("MESSAGE 0");
            assertThat(replies).last().isEqualTo("MESSAGE 99");
            assertThat(replies).doesNotHaveDuplicates().hasSize(count);
            assertThat(server.stats().received()).isEqualTo(count);
            assertThat(server.stats().repliesSent()).isEqualTo(count);
        } finally {
            server.close();
        }
    }

    /**
     * The serving thread blocks in receive; close() wakes it with a datagram of its own sent to
     * the bound address (127.0.0.1 for a wildcard, which a dual-stack socket also receives). A
     * marker that never arrived would leave close() to close the socket under the thread; one
     * not recognized would be answered and counted as a client's datagram.
     */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "::", "::1"})
    void closeWakesTheServingThreadWithItsOwnMarker(String host) throws IOException {
        if (host.contains(":")) {
            Ipv6.assumeLoopback();
        }
        UdpServer server = start(host, UpperCase.unicode());
        server.close();

        assertThat(server.forcedToStop()).as("the socket was closed under the serving thread").isFalse();
        assertThat(server.stats().received()).isZero();
        assertThat(server.broken()).isNotDone();
    }

    @Test
    void closeIsIdempotentAndReleasesThePort() throws IOException {
        UdpServer server = start("127.0.0.1", UpperCase.unicode());
        InetSocketAddress address = server.localAddress();
        server.close();
        server.close();

        // Bindable again: the socket is closed when close() returns.
        try (UdpServer again = UdpServer.start(config(address, UpperCase.unicode()))) {
            assertThat(again.localAddress()).isEqualTo(address);
        }
    }

    @Test
    void aSecondServerOnABusyPortFailsWithTheAddressInTheMessage() throws IOException {
        try (UdpServer first = start("127.0.0.1", UpperCase.unicode())) {
            int port = first.localAddress().getPort();

            assertThatThrownBy(() -> UdpServer.start(config(first.localAddress(), UpperCase.unicode())))
                    .isInstanceOf(BindException.class)
                    .hasMessage("cannot listen on udp 127.0.0.1:" + port + ": Address already in use");
        }
    }

    @Test
    void aWildcardBindFailureNamesTheWildcard() throws IOException {
        Ipv6.assumeLoopback();
        try (UdpServer first = start("::", UpperCase.unicode())) {
            int port = first.localAddress().getPort();
            InetSocketAddress wildcard = new InetSocketAddress(InetAddress.getByName("::"), port);

            assertThatThrownBy(() -> UdpServer.start(config(wildcard, UpperCase.unicode())))
                    .isInstanceOf(BindException.class)
                    .hasMessage("cannot listen on udp [::]:" + port + ": Address already in use");
        }
    }

    @Test
    void countsDatagramsAndBytes() throws IOException {
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            client.ask("straße", server.localAddress()); // 7 bytes in, 7 out
            client.ask("", server.localAddress());

            UdpStats stats = finalStats(server);
            assertThat(new long[] {stats.received(), stats.repliesSent(), stats.bytesIn(), stats.bytesOut(), stats.dropped()})
                    .containsExactly(2, 2, 7, 7, 0);
        }
    }

    @Test
    void servesForLongerThanOneSelectRound() throws IOException {
        // Many rounds of "queue empty, select, wake": the loop must return to select and wake again.
        try (UdpServer server = start("127.0.0.1", UpperCase.unicode()); Peer client = Peer.bind("127.0.0.1")) {
            for (int i = 0; i < 200; i++) {
                assertThat(client.ask("n" + i, server.localAddress())).isEqualTo("N" + i);
            }
        }
    }
}
