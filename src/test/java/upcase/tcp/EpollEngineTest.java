package upcase.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import upcase.net.Engine;
import upcase.support.Descriptors;
import upcase.support.Eventually;
import upcase.support.NativeEngines;

/** {@link NativeEngineContract} on the epoll engine, and what only epoll registrations can get wrong. */
class EpollEngineTest extends NativeEngineContract implements NativeEngines {
    @Override
    Engine engine() {
        return Engine.EPOLL;
    }

    /**
     * A connection's close is its only deregistration (no EPOLL_CTL_DEL: the kernel drops a
     * closed socket from every epoll set): after connections that ended every way (FIN, reset,
     * the idle timeout), the loop's epoll instance holds its listener and wake-up eventfd only.
     */
    @Test
    void aClosedConnectionLeavesNoEpollRegistration() throws IOException {
        Set<Integer> before = Descriptors.epollInstances();
        try (TcpServer server = start(TcpServerConfig.defaults(LOOPBACK).withEventLoops(1)
                .withIdleTimeout(Duration.ofMillis(500)))) {
            Set<Integer> epolls = Descriptors.epollInstances();
            epolls.removeAll(before);
            assertThat(epolls).hasSize(1);
            int epfd = epolls.iterator().next();
            Eventually.await("the listener and the eventfd registered", Duration.ofSeconds(5),
                    () -> Descriptors.epollRegistrations(epfd) == 2);
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 90; i++) {
                    Socket s = connect(server);
                    sockets.add(s);
                    s.getOutputStream().write(utf8("abc\n"));
                    assertThat(readExactly(s.getInputStream(), 4)).isEqualTo(utf8("ABC\n"));
                }
                assertThat(Descriptors.epollRegistrations(epfd)).isEqualTo(2 + 90);
            } finally {
                for (int i = 0; i < sockets.size(); i++) {
                    if (i % 3 == 0) {
                        sockets.get(i).setSoLinger(true, 0); // a reset
                        sockets.get(i).close();
                    } else if (i % 3 == 1) {
                        sockets.get(i).close(); // a FIN
                    } // else left open: the server's idle timeout closes it
                }
            }
            Eventually.await("every connection closed", Duration.ofSeconds(20), () -> server.stats().open() == 0);
            assertThat(server.stats().closes().get(CloseReason.IDLE_TIMEOUT)).isEqualTo(30);
            assertThat(Descriptors.epollRegistrations(epfd)).isEqualTo(2);
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
