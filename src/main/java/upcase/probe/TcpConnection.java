package upcase.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import upcase.tls.ClientContext;
import upcase.tls.ClientTls;

/**
 * One probe connection. Writes go out on their own (virtual) thread, in order, while the probe
 * reads: a server that answers as the bytes arrive but is not read from would otherwise block a
 * long write, and a server that reads nothing must not block the probe at all. Everything read
 * is kept, so a check judges the whole conversation.
 */
final class TcpConnection implements AutoCloseable {
    /** A reply this long is wrong for every check (the longest expects 100,000 bytes): stop reading it. */
    private static final int MOST_KEPT = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("upcase-probe-writer").factory());
    private final List<byte[]> writes = new ArrayList<>();
    private byte[] received = new byte[1024];
    private int length;
    /** {@link Ending#CLOSED} or {@link Ending#RESET} once the stream is over. */
    private Ending over;

    private TcpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * @param tls with --tls, the handshake is done before this returns (its failure thrown as one
     *     line); null for plain TCP
     */
    static TcpConnection open(InetSocketAddress target, Timing timing, ClientContext tls) throws IOException {
        Socket socket = new Socket();
        try {
            // Each write leaves at once as its own segment: the split-writes check depends on it.
            // With TLS each write is a record of its own, sent at once the same way.
            socket.setTcpNoDelay(true);
            socket.connect(target, timing.nextWaitMillis());
            if (tls != null) {
                socket.setSoTimeout(timing.nextWaitMillis());
                socket = ClientTls.handshake(socket, tls, timing.timeout());
            }
            return new TcpConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * What the TLS handshake agreed on: {@code TLSv1.3, TLS_AES_128_GCM_SHA256, certificate
     * CN=localhost}; empty for plain TCP.
     */
    String handshake() {
        if (!(socket instanceof SSLSocket tls)) {
            return "";
        }
        SSLSession session = tls.getSession();
        String subject;
        try {
            subject = session.getPeerCertificates()[0] instanceof X509Certificate x509
                    ? x509.getSubjectX500Principal().getName() : "a certificate that is not X.509";
        } catch (SSLPeerUnverifiedException e) {
            subject = "none";
        }
        return session.getProtocol() + ", " + session.getCipherSuite() + ", certificate " + subject;
    }

    /** Queues {@code bytes} for writing. A failed write shows as the server closing or resetting. */
    void send(byte[] bytes) {
        writes.add(bytes.clone());
        writer.execute(() -> {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException ignored) {
                // the reading side sees the same broken connection, and judges it
            }
        });
    }

    /** Half-close, after everything queued has been written. */
    void shutdownOutput() {
        writer.execute(() -> {
            try {
                socket.shutdownOutput();
            } catch (IOException ignored) {
                // as for a failed write
            }
        });
    }

    /** Everything sent so far, write by write. */
    List<byte[]> writes() {
        return List.copyOf(writes);
    }

    int receivedLength() {
        return length;
    }

    /**
     * Reads until {@code until} holds for everything received so far, the stream ends, or nothing
     * comes for the timing's next wait. A reply judged complete also takes the bytes already
     * waiting behind it, so that padding after a line shows.
     */
    Reply await(Until until, Timing timing) throws IOException {
        long start = System.nanoTime();
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            if (until.done(received, length) || length >= MOST_KEPT) {
                int waiting = waiting();
                if (waiting > 0) {
                    read(buffer, Math.min(waiting, buffer.length));
                }
                return reply(Ending.REPLIED, Duration.ofNanos(System.nanoTime() - start));
            }
            if (over != null) {
                return reply(over, Duration.ofNanos(System.nanoTime() - start));
            }
            Duration wait = timing.nextWait();
            if (wait.isZero()) {
                return reply(Ending.SILENT, Duration.ofNanos(System.nanoTime() - start));
            }
            socket.setSoTimeout(Timing.socketTimeout(wait));
            try {
                read(buffer, buffer.length);
            } catch (SocketTimeoutException e) {
                // The silence is the wait that ran out (usually the --timeout), not the time since the start.
                return reply(Ending.SILENT, wait);
            }
        }
    }

    /** Bytes that can be read without waiting; none once the stream is over or broken. */
    private int waiting() {
        try {
            return over == null ? in.available() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** One read into {@code received}; the end of the stream is noted in {@link #over}. */
    private void read(byte[] buffer, int most) throws SocketTimeoutException {
        int n;
        try {
            n = in.read(buffer, 0, most);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            over = Ending.RESET;
            return;
        }
        if (n < 0) {
            over = Ending.CLOSED;
            return;
        }
        if (length + n > received.length) {
            received = Arrays.copyOf(received, Math.max(received.length * 2, length + n));
        }
        System.arraycopy(buffer, 0, received, length, n);
        length += n;
    }

    private Reply reply(Ending ending, Duration waited) {
        return new Reply(Arrays.copyOf(received, length), ending, waited, null);
    }

    @Override
    public void close() {
        writer.shutdownNow();
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }
}
