package upcase.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import upcase.text.UpperCase;

/** Deliberately different servers for the bench to measure: wrong ones, lossy ones, textbook-style ones. */
final class Peers {
    private Peers() {}

    /** A running test server on a loopback port; closing it stops it. */
    interface Peer extends AutoCloseable {
        int port();

        @Override
        void close() throws IOException;
    }

    /**
     * A TCP server that answers each line (up to and including its line feed) with
     * {@code reply.apply(line)}, keeping the connection open: a wrong server when the function is.
     */
    static Peer tcpLines(UnaryOperator<byte[]> reply) throws IOException {
        return tcp(false, reply);
    }

    /** The textbook's TCP server pattern: one line, its uppercase reply, then close. */
    static Peer closeAfterOneReply() throws IOException {
        return tcp(true, UpperCase.unicode()::apply);
    }

    private static Peer tcp(boolean closeAfterReply, UnaryOperator<byte[]> reply) throws IOException {
        ServerSocket listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    Thread.ofVirtual().start(() -> serveLines(socket, closeAfterReply, reply));
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
        return new Peer() {
            @Override
            public int port() {
                return listener.getLocalPort();
            }

            @Override
            public void close() throws IOException {
                listener.close();
            }
        };
    }

    private static void serveLines(Socket socket, boolean closeAfterReply, UnaryOperator<byte[]> reply) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                ByteArrayOutputStream replies = new ByteArrayOutputStream();
                for (int i = 0; i < n; i++) {
                    line.write(buffer[i]);
                    if (buffer[i] == '\n') {
                        replies.writeBytes(reply.apply(line.toByteArray()));
                        line.reset();
                        if (closeAfterReply) {
                            out.write(replies.toByteArray());
                            return;
                        }
                    }
                }
                out.write(replies.toByteArray());
            }
        } catch (IOException e) {
            // the bench closed first: that is how it ends
        }
    }

    /** A UDP server that answers only every other datagram, in uppercase. */
    static Peer udpAnsweringEveryOther() throws IOException {
        return udp(0, 2, UpperCase.unicode()::apply);
    }

    /** A UDP server that answers every datagram at once with {@code reply} of it. */
    static Peer udpReplies(UnaryOperator<byte[]> reply) throws IOException {
        return udp(0, 1, reply);
    }

    /** A UDP server that answers every datagram in uppercase, {@code delayMillis} late. */
    static Peer udpLate(long delayMillis) throws IOException {
        return udp(delayMillis, 1, UpperCase.unicode()::apply);
    }

    private static Peer udp(long delayMillis, int every, UnaryOperator<byte[]> transform) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        Thread.ofPlatform().daemon(true).start(() -> {
            byte[] buffer = new byte[65_536];
            long received = 0;
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (IOException e) {
                    return; // closed
                }
                if (received++ % every != 0) {
                    continue;
                }
                byte[] reply = transform.apply(Arrays.copyOf(packet.getData(), packet.getLength()));
                DatagramPacket answer = new DatagramPacket(reply, reply.length, packet.getSocketAddress());
                later.schedule(() -> {
                    try {
                        socket.send(answer);
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }, delayMillis, TimeUnit.MILLISECONDS);
            }
        });
        return new Peer() {
            @Override
            public int port() {
                return socket.getLocalPort();
            }

            @Override
            public void close() {
                later.shutdownNow();
                socket.close();
            }
        };
    }

    /** A port with nothing listening on it (TCP), found by binding and closing. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
