package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.net.Engine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.support.Eventually;
import upcase.support.UpcaseProcess;

/** The server process under faults of its environment: no descriptors left, no stderr. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {Engines.NIO, Engines.EPOLL, Engines.IO_URING})
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultsTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    private final Engine engine;

    FaultsTest(Engine engine) {
        Engines.assumeRunnable(engine);
        this.engine = engine;
    }

    @Test
    void outOfDescriptorsItLogsBacksOffAndRecoversOnceSomeAreFree() throws Exception {
        try (UpcaseProcess server = Engines.start(engine, UpcaseProcess.underShell("ulimit -n 96"), List.of(),
                "tcp-server", "--port", "0", "--bind", "127.0.0.1")) {
            int port = Engines.awaitListening(server, "tcp", engine);
            List<Socket> hogs = new ArrayList<>();
            try {
                // More connections than the server has descriptors: the kernel completes them
                // (backlog), the server's accept() fails with EMFILE.
                for (int i = 0; i < 120; i++) {
                    hogs.add(new Socket(InetAddress.getLoopbackAddress(), port));
                }
                assertThat(server.awaitLine("accept failed", Duration.ofSeconds(20)))
                        .contains("Too many open files").contains("retrying in");
            } finally {
                for (Socket s : hogs) {
                    s.close();
                }
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(utf8("recovered\n"));
                assertThat(readExactly(s.getInputStream(), 10)).isEqualTo(utf8("RECOVERED\n"));
            }
            assertThat(server.process().isAlive()).isTrue();
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
    }

    @ParameterizedTest(name = "stderr {0}")
    @ValueSource(strings = {"exec 2>&-", "exec 2>/dev/full"})
    void aClosedOrFullStderrDoesNotStopTheServer(String redirect) throws Exception {
        int port = freePort();
        try (UpcaseProcess server = Engines.start(engine, UpcaseProcess.underShell(redirect), List.of(),
                "tcp-server", "--verbose", "--bind", "127.0.0.1",
                "--port", String.valueOf(port))) {
            Eventually.await("the server answers", Duration.ofSeconds(30), () -> answers(port));
            // --verbose logs every connection: each is a failed write to stderr.
            for (int i = 0; i < 20; i++) {
                assertThat(answers(port)).isTrue();
            }
            Eventually.await("the server still answers", Duration.ofSeconds(30), () -> answers(port));
            server.terminate();
            assertThat(server.awaitExit(EXIT)).isZero();
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(utf8("ping\n"));
            return new String(readExactly(s.getInputStream(), 5), java.nio.charset.StandardCharsets.UTF_8).equals("PING\n");
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
