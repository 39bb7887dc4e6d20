package upcase.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.upper;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.support.UringEngine;

/**
 * {@link NativeEngineContract} on the io_uring engine, and what only a completion-based engine
 * can get wrong: the provided-buffer ring starved by connections that do not read, and a
 * connection closed while its multishot receive is still in flight.
 */
class UringEngineTest extends NativeEngineContract implements UringEngine {
    @Override
    Engine engine() {
        return Engine.IO_URING;
    }

    /**
     * Three clients send without reading until every buffer between them and the server is full:
     * their connections sit under backpressure with their receives cancelled, each holding at most
     * a couple of the loop's 512 receive buffers (a connection that kept receiving would take the
     * whole ring within the first 8 MiB, and no one else would be read). The kernel's own buffers
     * take tens of MiB first here (tcp_rmem grows to 32 MiB), hence the 256 MiB ceiling. Others are answered
     * meanwhile; then the slow ones read, and every byte they sent comes back, in order.
     */
    @Test
    void clientsThatDoNotReadLeaveTheRingToTheOthers() throws Exception {
        try (TcpServer server = start(1)) {
            List<SocketChannel> slow = new ArrayList<>();
            long[] sentBytes = new long[3];
            try {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'q');
                for (int i = 0; i < sentBytes.length; i++) {
                    SocketChannel c = SocketChannel.open();
                    c.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                    c.connect(server.localAddress());
                    c.configureBlocking(false);
                    slow.add(c);
                    // Until the socket stays unwritable for a quarter second twice: the server has
                    // stopped reading this one.
                    try (Selector selector = Selector.open()) {
                        c.register(selector, SelectionKey.OP_WRITE);
                        int stalls = 0;
                        while (stalls < 2 && sentBytes[i] < (256L << 20)) {
                            int n = c.write(ByteBuffer.wrap(chunk));
                            sentBytes[i] += n;
                            if (n == 0) {
                                stalls = selector.select(250) == 0 ? stalls + 1 : 0;
                                selector.selectedKeys().clear();
                            }
                        }
                        c.keyFor(selector).cancel();
                        selector.selectNow();
                    }
                    assertThat(sentBytes[i]).as("bytes before backpressure").isLessThan(256L << 20);
                }
                for (int i = 0; i < 20; i++) {
                    try (Socket s = connect(server)) {
                        String line = "while three do not read, " + i + " stra\u00dfe\n";
                        s.getOutputStream().write(utf8(line));
                        assertThat(utf8(readExactly(s.getInputStream(), upper(line).length))).isEqualTo(utf8(upper(line)));
                    }
                }
                for (int i = 0; i < slow.size(); i++) {
                    SocketChannel c = slow.get(i);
                    c.configureBlocking(true);
                    c.shutdownOutput();
                    InputStream in = c.socket().getInputStream();
                    byte[] buffer = new byte[256 * 1024];
                    long got = 0;
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        for (int k = 0; k < n; k++) {
                            if (buffer[k] != 'Q') {
                                throw new AssertionError("byte " + (got + k) + " of slow client " + i + " is " + buffer[k]);
                            }
                        }
                        got += n;
                    }
                    assertThat(got).as("slow client " + i + "'s replies").isEqualTo(sentBytes[i]);
                }
            } finally {
                for (SocketChannel c : slow) {
                    c.close();
                }
            }
        }
    }

    /**
     * The server closes idle connections whose multishot receives are in flight, while new
     * connections arrive and get the old descriptor numbers: the receive is cancelled and its
     * last completion awaited before the close, so every new connection's reply is its own and
     * every old one ends with a FIN.
     */
    @Test
    void connectionsClosedWithAReceiveInFlightNeverReachTheirSuccessors() throws Exception {
        long before = openDescriptors();
        try (TcpServer server = start(TcpServerConfig.defaults(LOOPBACK).withEventLoops(1)
                .withIdleTimeout(Duration.ofMillis(200)))) {
            for (int round = 0; round < 5; round++) {
                List<Socket> idle = new ArrayList<>();
                try {
                    for (int i = 0; i < 100; i++) {
                        idle.add(connect(server));
                    }
                    int r = round;
                    Eventually.await("100 open", Duration.ofSeconds(20), () -> server.stats().open() >= 100);
                    // Closed by the server's idle scan while receives are armed; meanwhile, new ones.
                    List<Socket> fresh = new ArrayList<>();
                    try {
                        for (int i = 0; i < 100; i++) {
                            Socket s = connect(server);
                            fresh.add(s);
                            s.getOutputStream().write(utf8("round " + r + " fresh " + i + "\n"));
                        }
                        for (int i = 0; i < fresh.size(); i++) {
                            String line = "round " + r + " fresh " + i + "\n";
                            assertThat(utf8(readExactly(fresh.get(i).getInputStream(), upper(line).length)))
                                    .isEqualTo(utf8(upper(line)));
                        }
                    } finally {
                        for (Socket s : fresh) {
                            s.close();
                        }
                    }
                    for (Socket s : idle) {
                        assertThat(s.getInputStream().read()).as("an idle connection's end").isEqualTo(-1);
                    }
                } finally {
                    for (Socket s : idle) {
                        s.close();
                    }
                }
            }
            Eventually.await("every connection closed", Duration.ofSeconds(20), () -> server.stats().open() == 0);
            assertThat(server.stats().closed()).isEqualTo(1_000);
        }
        assertThat(openDescriptors()).isLessThanOrEqualTo(before + 3);
    }
}
