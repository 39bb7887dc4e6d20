package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The io_uring engine's datagram ring on real loopback sockets, with buffers small enough to be
 * cut and few enough to run out; and {@link RecvmsgOut}'s checks on headers that lie, which the
 * kernel cannot be made to write.
 */
@Timeout(20)
class UringDatagramsTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int CAPACITY = 64;

    private Arena arena;
    private NativeDatagramSocket socket;
    private UringDatagrams io;
    private DatagramChannel client;
    private InetSocketAddress server;

    @BeforeEach
    void open() throws IOException {
        Availability here = Availability.ioUring();
        Assumptions.assumeTrue(here.available(), () -> "no io_uring here: " + here.reason());
        arena = Arena.ofConfined();
        socket = NativeDatagramSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new NativeDatagramSocket.Options(1 << 20, false, false));
        server = socket.localAddress();
        client = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        if (arena != null) {
            if (io != null) {
                io.close();
            }
            socket.close();
            arena.close();
            client.close();
        }
    }

    private void send(byte[] payload) throws IOException {
        client.send(ByteBuffer.wrap(payload), server);
    }

    @Test
    void aDatagramLongerThanItsBufferIsReportedCutWithWhatFit() throws IOException {
        io = new UringDatagrams(arena, socket, 4, CAPACITY, false);
        byte[] longer = new byte[CAPACITY + 36];
        Arrays.fill(longer, (byte) 'a');
        send(longer);
        send("short".getBytes(UTF_8));
        io.armReceive();
        List<byte[]> payloads = new ArrayList<>();
        List<Boolean> cut = new ArrayList<>();
        while (payloads.size() < 2) {
            int n = io.submitAndWait(1, SECOND);
            assertThat(n).as("completions within a second").isPositive();
            for (int i = 0; i < n; i++) {
                assertThat(io.isReceive(i)).isTrue();
                assertThat(io.result(i)).isNotNegative();
                int id = io.take(i);
                byte[] into = new byte[CAPACITY];
                payloads.add(Arrays.copyOf(into, io.copyPayload(id, into)));
                cut.add(io.truncated(id));
                assertThat(io.sourcePort(id)).isEqualTo(((InetSocketAddress) client.getLocalAddress()).getPort());
                io.recycle(id);
            }
            io.consumed(n);
        }
        assertThat(cut).containsExactly(true, false);
        assertThat(payloads.get(0)).isEqualTo(Arrays.copyOf(longer, CAPACITY));
        assertThat(new String(payloads.get(1), UTF_8)).isEqualTo("short");
    }

    /**
     * Ten datagrams for four buffers kept lent: the multishot receive ends with -ENOBUFS (not an
     * error to report), and once the buffers are back and it is armed again the other datagrams,
     * which waited in the socket, come in order.
     */
    @Test
    void moreDatagramsThanBuffersEndTheReceiveUntilBuffersAreBack() throws IOException {
        io = new UringDatagrams(arena, socket, 4, CAPACITY, false);
        for (int d = 0; d < 10; d++) {
            send(("d" + d).getBytes(UTF_8));
        }
        List<String> received = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        int noBuffers = 0;
        while (received.size() < 10) {
            if (!io.receiveArmed() && io.available() > 0) {
                io.armReceive();
            }
            int n = io.submitAndWait(1, SECOND);
            assertThat(n).as("completions within a second").isPositive();
            for (int i = 0; i < n; i++) {
                if (io.result(i) < 0) {
                    assertThat(io.receiveError(i)).as("-ENOBUFS is no error").isNull();
                    noBuffers++;
                    continue;
                }
                int id = io.take(i);
                byte[] into = new byte[CAPACITY];
                received.add(new String(into, 0, io.copyPayload(id, into), UTF_8));
                held.add(id);
            }
            io.consumed(n);
            assertThat(held.size() + io.available()).isEqualTo(4);
            if (!io.receiveArmed()) {
                held.forEach(io::recycle);
                held.clear();
            }
        }
        assertThat(noBuffers).isPositive();
        assertThat(received).containsExactly("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9");
    }

    /** The ring's requests hold the socket: close() cancels them first, so the port is free when the socket is closed. */
    @Test
    void closingTheRingWithItsRequestsInFlightFreesThePortAtOnce() throws IOException {
        io = new UringDatagrams(arena, socket, 4, CAPACITY, false);
        io.watchShutdown();
        io.armReceive();
        io.submitAndWait(0, 0);
        io.close();
        socket.close();
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(server);
            assertThat(again.getLocalAddress()).isEqualTo(server);
        }
    }

    @Test
    void aShutdownForReadingCompletesTheWatchAndEmptiesNothing() throws IOException {
        io = new UringDatagrams(arena, socket, 4, CAPACITY, false);
        io.watchShutdown();
        assertThat(io.submitAndWait(1, SECOND / 10)).as("no completion before the shutdown").isZero();
        send("queued".getBytes(UTF_8));
        assertThat(io.socketQueueEmpty()).isFalse();
        socket.shutdownInput();
        int n = io.submitAndWait(1, SECOND);
        assertThat(n).isEqualTo(1);
        assertThat(io.isShutDown(0)).isTrue();
        io.consumed(n);
        assertThat(io.socketQueueEmpty()).as("the datagram queued before the shutdown is still there").isFalse();
    }

    /** A header the kernel could not have written: each lie is refused with what it claimed, never read past. */
    @Test
    void aRecvmsgHeaderWhoseLengthsLieIsRefused() {
        MemorySegment buffer = Arena.ofAuto().allocate(256, 8);
        int size = 256;
        int fixed = RecvmsgOut.HEADER + 32 + 64;
        header(buffer, 16, 40, 10, 0);
        assertThat(RecvmsgOut.payloadInBuffer(buffer, 0, size, fixed + 10, 32, 64)).isEqualTo(10);
        header(buffer, 16, 40, 500, Libc.MSG_TRUNC);
        assertThat(RecvmsgOut.payloadInBuffer(buffer, 0, size, size, 32, 64)).as("cut: what fit").isEqualTo(size - fixed);

        assertThatThrownBy(() -> RecvmsgOut.payloadInBuffer(buffer, 0, size, fixed - 1, 32, 64))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(String.valueOf(fixed - 1));
        assertThatThrownBy(() -> RecvmsgOut.payloadInBuffer(buffer, 0, size, size + 1, 32, 64))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("257 bytes for a 256-byte buffer");
        header(buffer, 33, 0, 0, 0);
        assertThatThrownBy(() -> RecvmsgOut.payloadInBuffer(buffer, 0, size, fixed, 32, 64))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("33-byte address");
        header(buffer, -1, 0, 0, 0);
        assertThatThrownBy(() -> RecvmsgOut.payloadInBuffer(buffer, 0, size, fixed, 32, 64))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("4294967295-byte address");
        header(buffer, 16, 65, 0, 0);
        assertThatThrownBy(() -> RecvmsgOut.payloadInBuffer(buffer, 0, size, fixed, 32, 64))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("65 control bytes");
        header(buffer, 16, 0, 11, 0);
        assertThatThrownBy(() -> RecvmsgOut.payloadInBuffer(buffer, 0, size, fixed + 10, 32, 64))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("11-byte datagram with 10 bytes");
        header(buffer, 16, 0, 9, Libc.MSG_TRUNC);
        assertThatThrownBy(() -> RecvmsgOut.payloadInBuffer(buffer, 0, size, fixed + 10, 32, 64))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("9-byte datagram with 10 bytes in the buffer (cut)");
    }

    private static void header(MemorySegment buffer, int nameLength, int controlLength, int payloadLength, int flags) {
        buffer.set(JAVA_INT, 0, nameLength);
        buffer.set(JAVA_INT, 4, controlLength);
        buffer.set(JAVA_INT, 8, payloadLength);
        buffer.set(JAVA_INT, 12, flags);
    }
}
