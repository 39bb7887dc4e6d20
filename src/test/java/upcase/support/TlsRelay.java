package upcase.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS-terminating relay made of the JDK's own {@link SSLServerSocket}, in front of a plain
 * uppercase server: with a plain upcase server behind it, an uppercase TLS server independent of
 * upcase's TLS code. Optionally it drops one byte of each connection's replies, so that a client
 * that claims to check every byte can be caught out. Two virtual threads per connection; closing
 * it closes the listener and every connection, and waits for its threads.
 */
public final class TlsRelay implements AutoCloseable {
    private final SSLServerSocket listener;
    private final InetSocketAddress backend;
    private final long dropAt;
    private final Thread acceptor;
    private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();

    private TlsRelay(SSLServerSocket listener, InetSocketAddress backend, long dropAt) {
        this.listener = listener;
        this.backend = backend;
        this.dropAt = dropAt;
        this.acceptor = Thread.ofVirtual().name("tls-relay-acceptor").start(this::accept);
    }

    /**
     * @param certificate the relay's certificate (its chain), for {@code key}
     * @param dropAt the offset, in each connection's reply bytes, of a byte to leave out; -1 for none
     */
    public static TlsRelay start(TestPki.Issued certificate, InetSocketAddress backend, long dropAt)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "relay".toCharArray();
        store.setKeyEntry("relay", certificate.keys().getPrivate(), password,
                new X509Certificate[] {certificate.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        return new TlsRelay(listener, backend, dropAt);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                threads.add(Thread.ofVirtual().name("tls-relay-connection").start(() -> relay(client)));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket server = new Socket()) {
            server.setTcpNoDelay(true);
            server.connect(backend, 10_000);
            open.add(server);
            Thread up = Thread.ofVirtual().name("tls-relay-up").start(() -> copy(client, server, -1));
            threads.add(up);
            copy(server, client, dropAt);
            up.join();
        } catch (IOException e) {
            // a failed handshake or a peer gone: the client's side is what the test judges
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes from {@code from} to {@code to}, leaving out the one at offset {@code drop}; then a half-close. */
    private static void copy(Socket from, Socket to, long drop) {
        byte[] buffer = new byte[16 * 1024];
        long offset = 0;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (drop >= offset && drop < offset + n) {
                    int at = (int) (drop - offset);
                    out.write(buffer, 0, at);
                    out.write(buffer, at + 1, n - at - 1);
                } else {
                    out.write(buffer, 0, n);
                }
                out.flush();
                offset += n;
            }
            if (to instanceof javax.net.ssl.SSLSocket) {
                to.close(); // TLS has no half-close on the JDK's sockets: close_notify, then the close
            } else {
                to.shutdownOutput();
            }
        } catch (IOException e) {
            // one side went away: the other notices
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        acceptor.join(10_000);
        for (Socket socket : open) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
