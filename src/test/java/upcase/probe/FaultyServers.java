package upcase.probe;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import upcase.text.UpperCase;

/**
 * Deliberately faulty servers for the probe to find out, each a few lines with the defect of a
 * textbook program (the defects table in examples/README.md) and, where possible, nothing else wrong. They
 * listen on loopback, port 0.
 */
final class FaultyServers {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private FaultyServers() {}

    /** A running server; closing it closes its socket and every connection it accepted. */
    static final class Running implements AutoCloseable {
        private final Closeable listener;
        private final int port;
        /** Held so that a server that "never closes" really does not: unreachable sockets get closed by the JDK. */
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        private Running(Closeable listener, int port) {
            this.listener = listener;
            this.port = port;
        }

        int port() {
            return port;
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    interface Loop {
        void run() throws IOException;
    }

    interface Handler {
        void serve(Socket connection) throws IOException;
    }

    /** The Java UDPServer as printed: a reused 1,024-byte buffer, sent back whole (padding, leftovers, cut). */
    static Running udpPadder() throws IOException {
        DatagramSocket serverSocket = new DatagramSocket(0, LOOPBACK);
        return udp(serverSocket, () -> {
            byte[] receiveData = new byte[1024];
            while (true) {
                DatagramPacket receivePacket = new DatagramPacket(receiveData, receiveData.length);
                serverSocket.receive(receivePacket);
                String sentence = new String(receivePacket.getData(), UTF_8);
                byte[] sendData = sentence.toUpperCase(Locale.ROOT).getBytes(UTF_8);
                serverSocket.send(new DatagramPacket(sendData, sendData.length, receivePacket.getSocketAddress()));
            }
        });
    }

    /** Right in every way but one: it uppercases in the default locale (the test makes it Turkish). */
    static Running udpDefaultLocale() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, LOOPBACK);
        return udp(socket, () -> {
            byte[] buffer = new byte[65_536];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] reply = new String(buffer, 0, packet.getLength(), UTF_8).toUpperCase().getBytes(UTF_8);
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            }
        });
    }

    /** Right in every way but one: it answers from a socket of its own, not from the port the datagram went to. */
    static Running udpRepliesFromAnotherSocket() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, LOOPBACK);
        DatagramSocket replies = new DatagramSocket(0, LOOPBACK);
        return udp(socket, () -> {
            try (replies) {
                byte[] buffer = new byte[65_536];
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    byte[] reply = UpperCase.unicode().apply(Arrays.copyOf(buffer, packet.getLength()));
                    replies.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            }
        });
    }

    /** The Python TCPServer's fault, one client per thread: one recv(1024), the reply, close. */
    static Running tcpReadsOnce1024() throws IOException {
        return threadPerClient(connection -> {
            byte[] b = new byte[1024];
            int n = connection.getInputStream().read(b);
            if (n > 0) {
                connection.getOutputStream().write(UpperCase.unicode().apply(Arrays.copyOf(b, n)));
            }
            connection.close();
        });
    }

    /** The Java TCPServer's fault, one client per thread: one readLine(), its reply and '\n', and the connection left open. */
    static Running tcpOneLineNeverCloses() throws IOException {
        return threadPerClient(connection -> {
            String line = new BufferedReader(new InputStreamReader(connection.getInputStream(), UTF_8)).readLine();
            if (line != null) {
                connection.getOutputStream().write((line.toUpperCase(Locale.ROOT) + "\n").getBytes(UTF_8));
            }
        });
    }

    /** Right in every way but one: it serves one client at a time. */
    static Running tcpOneClientAtATime() throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, LOOPBACK);
        Running running = new Running(listener, listener.getLocalPort());
        start(() -> {
            while (true) {
                try (Socket connection = listener.accept()) {
                    upcase(connection.getInputStream(), connection.getOutputStream());
                } catch (IOException e) {
                    if (listener.isClosed()) {
                        throw e;
                    }
                }
            }
        });
        return running;
    }

    /** Right in every way but one: it decodes what it reads as text, so invalid bytes become U+FFFD. */
    static Running tcpReplacesInvalidBytes() throws IOException {
        return threadPerClient(connection -> {
            InputStream in = connection.getInputStream();
            byte[] b = new byte[16_384];
            for (int n; (n = in.read(b)) > 0; ) {
                connection.getOutputStream().write(new String(b, 0, n, UTF_8).toUpperCase(Locale.ROOT).getBytes(UTF_8));
            }
            connection.close();
        });
    }

    /** The Java TCPServer exactly as printed (port 0 instead of 6789): one client at a time, one line each, never closed. */
    static Running textbookJavaTcpServer() throws IOException {
        ServerSocket welcomeSocket = new ServerSocket(0, 50, LOOPBACK);
        Running running = new Running(welcomeSocket, welcomeSocket.getLocalPort());
        start(() -> {
            String clientSentence;
            String capitalizedSentence;
            while (true) {
                Socket connectionSocket = welcomeSocket.accept();
                running.accepted.add(connectionSocket);
                BufferedReader inFromClient = new BufferedReader(new InputStreamReader(connectionSocket.getInputStream()));
                DataOutputStream outToClient = new DataOutputStream(connectionSocket.getOutputStream());
                clientSentence = inFromClient.readLine();
                capitalizedSentence = clientSentence.toUpperCase() + '\n';
                outToClient.writeBytes(capitalizedSentence);
            }
        });
        return running;
    }

    /** What upcase's TCP server does, in a few lines: the transform of the stream as it arrives. */
    static void upcase(InputStream in, OutputStream out) throws IOException {
        UpperCase upper = UpperCase.unicode();
        byte[] b = new byte[16_384];
        byte[] transformed = new byte[b.length * upper.maxExpansion()];
        int filled = 0;
        for (int n; (n = in.read(b, filled, b.length - filled)) > 0; ) {
            filled += n;
            int end = upper.boundary(b, 0, filled); // an incomplete UTF-8 sequence waits for its end
            out.write(transformed, 0, upper.apply(b, 0, end, transformed, 0));
            System.arraycopy(b, end, b, 0, filled - end);
            filled -= end;
        }
        out.write(transformed, 0, upper.apply(b, 0, filled, transformed, 0));
    }

    private static Running udp(DatagramSocket socket, Loop loop) {
        start(loop);
        return new Running(socket, socket.getLocalPort());
    }

    private static Running threadPerClient(Handler handler) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, LOOPBACK);
        Running running = new Running(listener, listener.getLocalPort());
        start(() -> {
            while (true) {
                Socket connection = listener.accept();
                running.accepted.add(connection);
                Thread.ofVirtual().start(() -> {
                    try {
                        handler.serve(connection);
                    } catch (IOException e) {
                        // the probe closed or reset the connection: this client is done
                    }
                });
            }
        });
        return running;
    }

    /** Runs {@code loop} until its socket is closed. */
    private static void start(Loop loop) {
        Thread.ofVirtual().start(() -> {
            try {
                loop.run();
            } catch (IOException | RuntimeException e) {
                // closed by the test (or, for the textbook server, killed by a client, as in the book)
            }
        });
    }
}
