package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.support.UpcaseProcess;

/** --reuse-port: several processes on the same ports, each taking traffic (docs/OPERATIONS.md). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReusePortTest {
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final Pattern TCP = Pattern.compile("tcp (\\d+) connections");
    private static final Pattern UDP = Pattern.compile("udp (\\d+) datagrams");

    @Test
    void twoProcessesShareTheTcpAndUdpPortsAndEachTakesTraffic() throws Exception {
        try (UpcaseProcess first = UpcaseProcess.start("server", "--bind", "127.0.0.1", "--tcp-port", "0", "--udp-port", "0",
                "--reuse-port")) {
            int tcpPort = first.awaitListening("tcp");
            int udpPort = first.awaitListening("udp");
            try (UpcaseProcess second = UpcaseProcess.start("server", "--bind", "127.0.0.1", "--tcp-port", "" + tcpPort,
                    "--udp-port", "" + udpPort, "--reuse-port")) {
                second.awaitListening("tcp");
                second.awaitListening("udp");
                int connections = 200;
                for (int i = 0; i < connections; i++) {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcpPort)) {
                        s.setSoTimeout(10_000);
                        s.getOutputStream().write(utf8("short " + i + "\n"));
                        byte[] expected = utf8(("short " + i + "\n").toUpperCase());
                        assertThat(readExactly(s.getInputStream(), expected.length)).isEqualTo(expected);
                    }
                }
                // The kernel picks the socket by a hash of the source: many sources, one datagram each.
                int datagrams = 100;
                for (int i = 0; i < datagrams; i++) {
                    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                        client.setSoTimeout(10_000);
                        byte[] payload = utf8("datagram " + i);
                        client.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), udpPort));
                        DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                        client.receive(reply);
                        assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(utf8("DATAGRAM " + i));
                    }
                }
                long[] a = stop(first);
                long[] b = stop(second);
                assertThat(a[0]).as("tcp connections of the first process").isPositive();
                assertThat(b[0]).as("tcp connections of the second process").isPositive();
                assertThat(a[0] + b[0]).isEqualTo(connections);
                assertThat(a[1]).as("udp datagrams of the first process").isPositive();
                assertThat(b[1]).as("udp datagrams of the second process").isPositive();
                assertThat(a[1] + b[1]).isGreaterThanOrEqualTo(datagrams);
            }
        }
    }

    /** SIGTERM, then the TCP connections and UDP datagrams of the stop summary. */
    static long[] stop(UpcaseProcess server) throws InterruptedException {
        server.terminate();
        assertThat(server.awaitExit(EXIT)).isZero();
        // The UDP server's stop marker found its own socket among the group's (no forced close).
        assertThat(server.stderr()).noneMatch(line -> line.contains("did not stop by itself"));
        String summary = server.stderr().getLast();
        Matcher tcp = TCP.matcher(summary);
        Matcher udp = UDP.matcher(summary);
        assertThat(tcp.find() && udp.find()).as(summary).isTrue();
        return new long[] {Long.parseLong(tcp.group(1)), Long.parseLong(udp.group(1))};
    }
}
