package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.support.Eventually;
import upcase.support.NativeEngines;

/**
 * The accept path sets no TCP_NODELAY of its own: it relies on Linux copying the listener's to
 * every accepted socket. Were that ever not so, replies would wait for ACKs (Nagle), so this
 * checks the accepted socket itself, on both families.
 */
class NativeListenSocketTest implements NativeEngines {
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void anAcceptedSocketHasTcpNoDelayFromTheListener(String address) throws Throwable {
        try (NativeListenSocket listener = NativeListenSocket.listen(
                        new InetSocketAddress(InetAddress.ofLiteral(address), 0), false, 16);
                Arena arena = Arena.ofConfined();
                Socket client = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            StreamSockets sockets = new StreamSockets(arena, 4096);
            int[] fd = {-1};
            Eventually.await("a connection accepted", Duration.ofSeconds(5), () -> {
                try {
                    return (fd[0] = sockets.accept(listener)) >= 0;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                assertThat(sockets.peer().getPort()).isEqualTo(client.getLocalPort());
                assertThat(noDelay(arena, fd[0])).isEqualTo(1);
            } finally {
                sockets.close(fd[0]);
            }
        }
    }

    private static int noDelay(Arena arena, int fd) throws Throwable {
        MemorySegment state = arena.allocate(Libc.CALL_STATE);
        MemorySegment value = arena.allocate(JAVA_INT);
        MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
        int result = (int) Libc.GETSOCKOPT.invokeExact(state, fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, value, length);
        assertThat(result).as("getsockopt errno %d", Libc.errno(state)).isZero();
        return value.get(JAVA_INT, 0);
    }
}
