package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/**
 * The AOT cache's training run, in a child JVM as the launcher runs it: its exit status is the
 * launcher's only sign that the exchanges it trained on worked (a failed training leaves no cache).
 */
@Timeout(60)
class AotTrainingTest {

    @Test
    void trainsAgainstServersOfItsOwn() throws Exception {
        assertThat(run()).isZero();
    }

    @Test
    void trainsAgainstTheServerItIsGiven() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (TcpServer tcp = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(loopback, 0)));
                UdpServer udp = UdpServer.start(new UdpServerConfig(new InetSocketAddress(loopback, 0), UpperCase.unicode()))) {
            assertThat(run(String.valueOf(tcp.localAddress().getPort()), String.valueOf(udp.localAddress().getPort())))
                    .isZero();
            // Three exchanges: two TCP clients (one line, then two lines), one UDP client.
            assertThat(tcp.stats().accepted()).isEqualTo(2);
            assertThat(udp.stats().received()).isEqualTo(1); // counted before its reply goes
        }
    }

    @Test
    void failsWhenThereIsNoServer() throws Exception {
        int closedTcp;
        int closedUdp;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0); java.net.DatagramSocket d = new java.net.DatagramSocket(0)) {
            closedTcp = s.getLocalPort();
            closedUdp = d.getLocalPort();
        }
        assertThat(run(String.valueOf(closedTcp), String.valueOf(closedUdp))).isNotZero();
    }

    private static int run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AotTraining.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(50, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the training run did not end");
        }
        return p.exitValue();
    }
}
