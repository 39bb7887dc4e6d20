package upcase.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.text.UpperCase;

@Timeout(10)
class LoopGuardTest {
    private static final int OWN_PORT = 40_000;

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 13, 19, 53, 1023, 6789, 9876, 12000, OWN_PORT})
    void refusesServicePortsTheTextbookPortsAndItsOwnPort(int sourcePort) {
        assertThat(LoopGuard.refuses(sourcePort, OWN_PORT)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 6788, 9877, 12001, 39_999, 50_000, 65_535})
    void answersOrdinaryClientPorts(int sourcePort) {
        assertThat(LoopGuard.refuses(sourcePort, OWN_PORT)).isFalse();
    }

    @Test
    void aDatagramFromATextbookServerPortGetsNoReply() throws IOException {
        try (UdpServer server = UdpServerTest.startOn("127.0.0.1", UpperCase.unicode());
                Peer textbookServer = bindFirstFree(12000, 9876, 6789);
                Peer client = Peer.bind("127.0.0.1")) {
            textbookServer.send("ping", server.localAddress());
            // The server handles its queue in order: once this later datagram is answered, the
            // first one has been handled and counted, so no polling is needed.
            assertThat(client.ask("marker", server.localAddress())).isEqualTo("MARKER");
            assertThat(server.stats().dropped(Drop.LOOP_GUARD)).isEqualTo(1);

            textbookServer.assertNothingWithin(Duration.ofMillis(300));
            assertThat(UdpServerTest.finalStats(server).repliesSent()).isEqualTo(1);
        }
    }

    private static Peer bindFirstFree(int... ports) throws IOException {
        for (int port : ports) {
            try {
                return Peer.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            } catch (SocketException busy) {
                // try the next one
            }
        }
        return Assumptions.abort("ports 12000, 9876 and 6789 are all taken on 127.0.0.1");
    }
}
