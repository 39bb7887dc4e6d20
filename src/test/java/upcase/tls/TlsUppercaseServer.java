package upcase.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLSocket;

/**
 * A blocking uppercase server on a {@link ServerTls}'s current context (one thread per
 * connection), to prove a certificate and key work before the event loop serves TLS. Every
 * accept takes the context current at that moment, as the event loop will. Closing it stops its
 * threads and closes its connections.
 */
final class TlsUppercaseServer implements AutoCloseable {
    private final ServerTls tls;
    private final java.net.ServerSocket plain;
    private final Thread acceptor;
    private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();

    TlsUppercaseServer(ServerTls tls) throws IOException {
        this.tls = tls;
        // A plain listener: each accepted socket is wrapped with the context current at accept.
        this.plain = new java.net.ServerSocket();
        plain.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = Thread.ofPlatform().name("tls-test-acceptor").daemon().start(this::accept);
    }

    int port() {
        return plain.getLocalPort();
    }

    private void accept() {
        while (!plain.isClosed()) {
            try {
                Socket raw = plain.accept();
                SSLSocket socket = (SSLSocket) tls.context().getSocketFactory().createSocket(raw, null, raw.getPort(), true);
                socket.setUseClientMode(false);
                socket.setSSLParameters(tls.parameters());
                open.add(socket);
                Thread.ofPlatform().name("tls-test-connection").daemon().start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(SSLSocket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(new String(buf, 0, n, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away or failed its handshake: the test sees that on its side
        }
    }

    @Override
    public void close() throws IOException {
        plain.close();
        for (Socket socket : open) {
            socket.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
