package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.net.Engine;
import upcase.support.Eventually;

/**
 * SIGTERM with completions in flight (issue 13; PROTOCOL.md §Shutdown): 64 UDP sockets each
 * keeping 8 datagrams in flight and 16 TCP connections streaming pipelined lines when the signal
 * comes. Every datagram sent before the signal was queued by the kernel (loopback queues within
 * sendto, and 512 small datagrams fit the server's 4 MiB buffers), so every one gets its reply;
 * every datagram the server received is answered or counted as dropped, and every reply it
 * counts arrived. Every TCP byte the server read is answered, byte for byte. The process exits
 * 0, with no stack trace and no JVM crash file.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {Engines.NIO, Engines.EPOLL, Engines.IO_URING})
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShutdownInFlightTest {
    private static final int UDP_SOCKETS = 64;
    private static final int WINDOW = 8;
    private static final int TCP_CLIENTS = 16;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** ASCII: the drain may end a stream anywhere, and a reply byte must stand for one request byte. */
    private static final byte[] LINE = utf8("sphinx of black quartz judge my vow\n");
    private static final byte[] UPPER = utf8("SPHINX OF BLACK QUARTZ JUDGE MY VOW\n");
    private static final Pattern SUMMARY = Pattern.compile(
            "tcp \\d+ connections .*?, (\\d+) bytes in, (\\d+) bytes out; udp (\\d+) datagrams \\((\\d+) answered, (\\d+) dropped");

    private final Engine engine;

    ShutdownInFlightTest(Engine engine) {
        Engines.assumeRunnable(engine);
        this.engine = engine;
    }

    @Test
    void sigtermWithDatagramsAndPipelinedLinesInFlightLosesNothingAndExitsCleanly() throws Exception {
        try (EngineServer server = EngineServer.start(engine, List.of(), List.of(), "server", "--drain-timeout", "60s")) {
            InetSocketAddress udp = new InetSocketAddress(LOOPBACK, server.udpPort());
            List<UdpClient> udpClients = new ArrayList<>();
            List<StreamingClient> tcpClients = new ArrayList<>();
            try {
                for (int i = 0; i < UDP_SOCKETS; i++) {
                    udpClients.add(new UdpClient(i, udp));
                }
                for (int i = 0; i < TCP_CLIENTS; i++) {
                    tcpClients.add(new StreamingClient(server.tcpPort(), LINE, UPPER));
                }
                Eventually.await("load under way on both", Duration.ofSeconds(60), () ->
                        udpClients.stream().mapToLong(c -> c.replies.get()).sum() > 20 * UDP_SOCKETS
                                && tcpClients.stream().allMatch(c -> c.received() > 0));

                long[] sentBefore = new long[UDP_SOCKETS];
                for (int i = 0; i < UDP_SOCKETS; i++) {
                    sentBefore[i] = udpClients.get(i).sent.get();
                }
                List<String> stderr = server.stopCleanly(Duration.ofSeconds(90));

                for (UdpClient c : udpClients) {
                    c.thread.join(Duration.ofSeconds(30));
                    assertThat(c.failure).as("udp socket " + c.index).isNull();
                }
                long tcpReceived = 0;
                for (StreamingClient c : tcpClients) {
                    tcpReceived += c.awaitEnd(Duration.ofSeconds(30));
                }
                for (UdpClient c : udpClients) {
                    int firstMissing = c.answered.nextClearBit(0);
                    assertThat((long) firstMissing).as("socket " + c.index + ": the first datagram sent before the"
                            + " signal that got no reply (of " + sentBefore[c.index] + ")").isGreaterThanOrEqualTo(sentBefore[c.index]);
                }
                String summary = stderr.getLast();
                Matcher m = SUMMARY.matcher(summary);
                assertThat(m.find()).as(summary).isTrue();
                long tcpIn = Long.parseLong(m.group(1));
                long tcpOut = Long.parseLong(m.group(2));
                long received = Long.parseLong(m.group(3));
                long answered = Long.parseLong(m.group(4));
                long dropped = Long.parseLong(m.group(5));
                long replies = udpClients.stream().mapToLong(c -> c.replies.get()).sum();
                System.out.printf("shutdown in flight (%s): udp %d received, %d answered, %d dropped, %d replies seen;"
                        + " tcp %d bytes in, %d out, %d seen%n", engine.label(), received, answered, dropped, replies,
                        tcpIn, tcpOut, tcpReceived);
                assertThat(answered + dropped).as("udp received = answered + dropped").isEqualTo(received);
                assertThat(replies).as("replies that arrived = replies the server counts").isEqualTo(answered);
                assertThat(tcpReceived).as("tcp bytes the clients got = bytes out").isEqualTo(tcpOut);
                assertThat(tcpIn).as("every tcp byte read was answered").isEqualTo(tcpOut);
            } finally {
                udpClients.forEach(UdpClient::close);
                for (StreamingClient c : tcpClients) {
                    c.close();
                }
            }
        }
    }

    /**
     * One UDP socket keeping {@link #WINDOW} datagrams in flight: a new one goes out for every
     * reply, each tagged with its socket and sequence number, until no reply comes for 3 s (the
     * server is gone). Its own platform thread.
     */
    private static final class UdpClient {
        final int index;
        final DatagramSocket socket;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong replies = new AtomicLong();
        /** Sequence numbers answered; the client thread's alone until it is joined. */
        final BitSet answered = new BitSet();
        final Thread thread;
        volatile Throwable failure;

        UdpClient(int index, InetSocketAddress server) throws IOException {
            this.index = index;
            this.socket = new DatagramSocket(0, LOOPBACK);
            socket.setSoTimeout(3_000);
            this.thread = Thread.ofPlatform().name("udp-client-" + index).start(() -> run(server));
        }

        private void run(InetSocketAddress server) {
            try {
                for (int k = 0; k < WINDOW; k++) {
                    send(server);
                }
                DatagramPacket reply = new DatagramPacket(new byte[256], 256);
                while (true) {
                    try {
                        socket.receive(reply);
                    } catch (SocketTimeoutException e) {
                        return; // the server has stopped answering
                    }
                    String text = new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
                    String[] parts = text.split(" ");
                    if (parts.length != 3 || !parts[0].equals("S" + index) || !parts[1].equals("SEQ")) {
                        throw new AssertionError("socket " + index + " got a reply not its own: " + text);
                    }
                    int seq = Integer.parseInt(parts[2]);
                    if (answered.get(seq)) {
                        throw new AssertionError("socket " + index + " got a second reply to " + seq);
                    }
                    answered.set(seq);
                    replies.incrementAndGet();
                    send(server);
                }
            } catch (IOException | RuntimeException | AssertionError e) {
                if (!socket.isClosed()) {
                    failure = e;
                }
            }
        }

        private void send(InetSocketAddress server) throws IOException {
            byte[] payload = utf8("s" + index + " seq " + sent.get());
            socket.send(new DatagramPacket(payload, payload.length, server));
            sent.incrementAndGet(); // after the send returned: the kernel has queued it (or dropped it, counted)
        }

        void close() {
            socket.close();
        }
    }
}
