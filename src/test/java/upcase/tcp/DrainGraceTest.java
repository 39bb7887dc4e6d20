package upcase.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.utf8;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.net.Engine;
import upcase.support.Eventually;

/** The drain and a client that connects, then sends (PROTOCOL.md §Shutdown). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DrainGraceTest {
    /** The engine under test; the Native subclass runs every test again on epoll. */
    Engine engine() {
        return Engine.NIO;
    }

    @Test
    void aConnectionAcceptedJustBeforeTheDrainGetsItsFirstLineAnswered() throws Exception {
        TcpServer server = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withEngine(engine()));
        try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            Eventually.await("the connection accepted", Duration.ofSeconds(10), () -> server.stats().open() == 1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            // The drain has begun (no more accepting) before the line goes out.
            Eventually.await("the server stopped accepting", Duration.ofSeconds(10), () -> {
                try (Socket probe = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
                    return false;
                } catch (java.io.IOException e) {
                    return true;
                }
            });
            s.getOutputStream().write(utf8("just in time\n"));
            assertThat(utf8(readAll(s.getInputStream()))).isEqualTo("JUST IN TIME\n");
            s.close();
            closing.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConnectionThatHasSentBeforeIsFinishedAtOnce() throws Exception {
        TcpServer server = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withEngine(engine()));
        try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(utf8("a\n"));
            assertThat(s.getInputStream().readNBytes(2)).isEqualTo(utf8("A\n"));
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            // It has sent before: no grace, the FIN comes with the drain.
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            s.close();
            closing.get(20, TimeUnit.SECONDS);
        }
    }
}
