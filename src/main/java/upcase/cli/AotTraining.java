package upcase.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/**
 * The training run for the clients' AOT cache (JDK 25, JEP 483/515): the ./upcase launcher runs
 * it once after each build with {@code -XX:AOTCacheOutput}, and starts the client commands with
 * {@code -XX:AOTCache}, so that the classes, linkage and method profiles of a client exchange
 * are ready at start-up (docs/PERFORMANCE.md, "Client start-up"). It does what a client does,
 * through the same path, on loopback; exit 0 when every line was answered.
 *
 * <p>{@code AotTraining TCP-PORT UDP-PORT}: against a server on 127.0.0.1 that the launcher runs
 * in a JVM of its own, so that the cache holds only what a client loads (a client then starts
 * about 2-3 ms sooner: every class in the cache is loaded at start-up). Without arguments it
 * starts servers of its own in this JVM.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 2) {
            Runtime.getRuntime().halt(exchanges("127.0.0.1", args[0], args[1]));
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int status;
        try (TcpServer tcp = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(loopback, 0)));
                UdpServer udp = UdpServer.start(new UdpServerConfig(new InetSocketAddress(loopback, 0), UpperCase.unicode()))) {
            status = exchanges(loopback.getHostAddress(), String.valueOf(tcp.localAddress().getPort()),
                    String.valueOf(udp.localAddress().getPort()));
        }
        Runtime.getRuntime().halt(status);
    }

    private static int exchanges(String host, String tcpPort, String udpPort) {
        return exchange("tcp-client", "--once", host, tcpPort)
                | exchange("tcp-client", "--timeout", "5s", host, tcpPort)
                | exchange("udp-client", "--once", host, udpPort);
    }

    /** Through {@link Main#launch}, the path a client's main takes, so that its classes are in the cache. */
    private static int exchange(String... args) {
        Io io = new Io(new ByteArrayInputStream("training line\nsecond line\n".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Terminal.isStdin());
        return Main.launch(io, args);
    }
}
