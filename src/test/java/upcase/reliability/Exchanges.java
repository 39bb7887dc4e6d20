package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import upcase.text.UpperCase;

/** One checked exchange with a server, TCP or UDP: the reply is exactly the transform of what was sent. */
final class Exchanges {
    private Exchanges() {}

    /** Sends {@code text} on {@code s} and reads exactly its transform back. */
    static void assertAnswers(Socket s, String text) throws IOException {
        byte[] expected = UpperCase.unicode().apply(utf8(text));
        s.getOutputStream().write(utf8(text));
        assertThat(readExactly(s.getInputStream(), expected.length)).isEqualTo(expected);
    }

    /** Sends {@code text} in one datagram from a fresh socket and checks the one reply. */
    static void assertUdpAnswers(InetSocketAddress server, String text) throws IOException {
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(10_000);
            byte[] request = utf8(text);
            udp.send(new DatagramPacket(request, request.length, server));
            DatagramPacket reply = new DatagramPacket(new byte[request.length * 3 + 1], request.length * 3 + 1);
            udp.receive(reply);
            assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(UpperCase.unicode().apply(request));
        }
    }
}
