package upcase.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** A client connection through {@link ClientTls}: what it negotiated and what the server answered. */
final class Handshakes {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What one exchange over TLS showed. */
    record Exchange(String protocol, String serverSubject, String reply) {}

    private Handshakes() {}

    static Exchange exchange(int port, String host, ClientTlsSettings settings, String line) throws IOException {
        try (SSLSocket socket = open(port, host, settings)) {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new Exchange(socket.getSession().getProtocol(),
                    ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName(),
                    readLine(socket));
        }
    }

    static SSLSocket open(int port, String host, ClientTlsSettings settings) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
        plain.setSoTimeout((int) TIMEOUT.toMillis());
        return ClientTls.handshake(plain, host, host + ":" + port, settings, TIMEOUT);
    }

    static String readLine(SSLSocket socket) throws IOException {
        StringBuilder reply = new StringBuilder();
        int b;
        while ((b = socket.getInputStream().read()) >= 0 && b != '\n') {
            reply.append((char) b);
        }
        return reply.toString();
    }
}
