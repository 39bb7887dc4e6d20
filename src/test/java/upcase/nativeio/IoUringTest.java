package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ring itself, on real loopback sockets: a nop, a send and a multishot receive into a
 * provided buffer, a multishot accept, a cancel that ends a multishot request, and the checks on
 * what the kernel reports (a buffer id it never lent is refused, not followed).
 */
class IoUringTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private Arena arena;
    private IoUring ring;
    private NativeListenSocket listener;
    private StreamSockets sockets;

    @BeforeEach
    void ring() throws Exception {
        Availability here = Availability.ioUring();
        Assumptions.assumeTrue(here.available(), () -> "no io_uring here: " + here.reason());
        arena = Arena.ofConfined();
        ring = IoUring.open(arena, 8, 64);
        sockets = new StreamSockets(arena, 4096);
        listener = NativeListenSocket.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false, 16);
    }

    @AfterEach
    void close() {
        if (ring != null) {
            ring.close();
            listener.close();
            arena.close();
        }
    }

    @Test
    void aNopCompletesWithItsUserData() throws Exception {
        ring.nop(42);
        assertThat(ring.prepared()).isEqualTo(1);
        ring.submitAndWait(SECOND);
        assertThat(ring.prepared()).isZero();
        assertThat(ring.completions()).isEqualTo(1);
        assertThat(ring.userData(0)).isEqualTo(42);
        assertThat(ring.result(0)).isZero();
        ring.consumed(1);
        assertThat(ring.completions()).isZero();
    }

    @Test
    void aWaitWithNothingInFlightEndsAtItsTimeout() throws Exception {
        long start = System.nanoTime();
        ring.submitAndWait(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(ring.completions()).isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void moreEntriesThanTheRingHoldsAreSubmittedAsItFills() throws Exception {
        for (int i = 0; i < 20; i++) {
            ring.nop(i);
        }
        int seen = 0;
        while (seen < 20) {
            ring.submitAndWait(SECOND);
            int n = ring.completions();
            assertThat(n).isPositive();
            for (int i = 0; i < n; i++) {
                assertThat(ring.userData(i)).isEqualTo(seen + i);
            }
            ring.consumed(n);
            seen += n;
        }
        assertThat(seen).isEqualTo(20);
    }

    @Test
    void sendAndMultishotRecvMoveBytesOverLoopback() throws Exception {
        ProvidedBuffers buffers = new ProvidedBuffers(ring, arena, 7, 4, 256);
        ring.acceptMultishot(listener.fd(), 1);
        int client = sockets.connect(listener.localAddress());
        int server = -1;
        try {
            Completion accepted = next();
            assertThat(accepted.userData).isEqualTo(1);
            assertThat(accepted.result).as("an accepted descriptor").isPositive();
            assertThat(accepted.flags & IoUring.CQE_F_MORE).as("the accept goes on").isNotZero();
            server = accepted.result;

            ring.recvMultishot(server, 7, 2);
            MemorySegment hello = arena.allocateFrom("hello, ring\n", StandardCharsets.UTF_8);
            int length = (int) hello.byteSize() - 1;
            ring.send(client, hello, 0, length, 3);
            Completion sent = next();
            Completion received = sent.userData == 3 ? next() : sent;
            if (received == sent) {
                sent = next();
            }
            assertThat(sent.userData).isEqualTo(3);
            assertThat(sent.result).isEqualTo(length);
            assertThat(received.userData).isEqualTo(2);
            assertThat(received.result).isEqualTo(length);
            assertThat(received.flags & IoUring.CQE_F_MORE).isNotZero();
            int id = buffers.take(received.flags, received.result);
            byte[] copy = new byte[length];
            buffers.copy(id, 0, copy, 0, length);
            assertThat(new String(copy, StandardCharsets.UTF_8)).isEqualTo("hello, ring\n");
            assertThat(buffers.lent()).isEqualTo(1);
            buffers.recycle(id);
            assertThat(buffers.lent()).isZero();
            assertThatThrownBy(() -> buffers.recycle(id)).isInstanceOf(IllegalStateException.class);

            // The cancel ends the multishot receive: its last completion has no F_MORE.
            ring.cancel(2, 4);
            boolean recvEnded = false;
            boolean cancelDone = false;
            while (!recvEnded || !cancelDone) {
                Completion c = next();
                if (c.userData == 2) {
                    assertThat(c.flags & IoUring.CQE_F_MORE).isZero();
                    assertThat(c.result).isEqualTo(-Libc.ECANCELED);
                    recvEnded = true;
                } else {
                    assertThat(c.userData).isEqualTo(4);
                    assertThat(c.result).isZero();
                    cancelDone = true;
                }
            }
            ring.cancelAll(listener.fd(), 5);
            assertThat(nextFor(1).flags & IoUring.CQE_F_MORE).as("the accept ended").isZero();
        } finally {
            sockets.close(client);
            if (server > 0) {
                sockets.close(server);
            }
        }
    }

    @Test
    void aBufferTheKernelNeverLentIsRefused() throws Exception {
        ProvidedBuffers buffers = new ProvidedBuffers(ring, arena, 1, 2, 64);
        assertThatThrownBy(() -> buffers.take(IoUring.CQE_F_BUFFER | (5 << 16), 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("buffer 5 of 2");
        assertThatThrownBy(() -> buffers.take(IoUring.CQE_F_BUFFER, 65))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("65 bytes in a 64-byte buffer");
        assertThatThrownBy(() -> buffers.take(0, 10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> buffers.copy(0, 0, new byte[64], 0, 64)).isInstanceOf(IllegalStateException.class);
        int id = buffers.take(IoUring.CQE_F_BUFFER | (1 << 16), 64);
        assertThat(id).isEqualTo(1);
        assertThatThrownBy(() -> buffers.take(IoUring.CQE_F_BUFFER | (1 << 16), 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already lent");
        assertThatThrownBy(() -> buffers.copy(1, 32, new byte[64], 0, 33)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theProbeSaysAvailableWithNoReason() {
        assertThat(Availability.ioUring().reason()).isEmpty();
        assertThat(ring.deferredTaskRun()).as("Linux 6.1+ takes the first set of flags").isTrue();
    }

    private record Completion(long userData, int result, int flags) {}

    private Completion next() throws Exception {
        long deadline = System.nanoTime() + 5 * SECOND;
        while (ring.completions() == 0) {
            assertThat(System.nanoTime()).as("a completion within 5 s").isLessThan(deadline);
            ring.submitAndWait(SECOND);
        }
        Completion c = new Completion(ring.userData(0), ring.result(0), ring.flags(0));
        ring.consumed(1);
        return c;
    }

    private Completion nextFor(long userData) throws Exception {
        while (true) {
            Completion c = next();
            if (c.userData == userData) {
                return c;
            }
        }
    }

    static byte first(MemorySegment s) {
        return s.get(JAVA_BYTE, 0);
    }
}
