package upcase.tls;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import upcase.net.Durations;

/**
 * The client side of TLS: wraps a connected socket, verifies the server's certificate (trust and
 * name, the way a browser does) and turns every refusal into one line naming the server.
 * BouncyCastle is loaded only when a client certificate's key is read.
 */
public final class ClientTls {
    private ClientTls() {}

    /**
     * Runs the handshake over {@code plain} (already connected, its read timeout set) and
     * returns the TLS socket; closing it closes {@code plain}.
     *
     * @param host the name or address the user gave: checked against the certificate unless
     *        {@code settings.serverName()} names another
     * @param server the server as messages name it, {@code localhost:6789}
     * @throws IOException one line: {@code tls: certificate for localhost:6789 has expired ...}
     */
    public static SSLSocket handshake(Socket plain, String host, String server, ClientTlsSettings settings,
            Duration timeout) throws IOException {
        return handshake(plain, ClientContext.create(settings, host, server), timeout);
    }

    /** {@link #handshake(Socket, String, String, ClientTlsSettings, Duration)} on a context already made. */
    public static SSLSocket handshake(Socket plain, ClientContext context, Duration timeout) throws IOException {
        SSLSocket socket = context.socket(plain);
        try {
            socket.startHandshake();
            return socket;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new SocketTimeoutException("tls: no handshake from " + context.server() + " within "
                    + Durations.format(timeout));
        } catch (IOException e) {
            closeQuietly(socket);
            SSLHandshakeException failure = new SSLHandshakeException(context.failure(e));
            failure.initCause(e);
            throw failure;
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * One line for a TLS failure after the certificate check: the server's alerts (in TLS 1.3 a
     * refused client certificate arrives with the first read, after the handshake) or a broken
     * record, naming the server.
     */
    public static String describe(SSLException e, String server) {
        String message = PemFiles.oneLine(e.getMessage());
        if (message.contains("certificate_required")) {
            return "tls: " + server + " requires a client certificate (give one with --cert FILE --key FILE)";
        }
        for (String alert : List.of("bad_certificate", "unknown_ca", "certificate_unknown", "access_denied",
                "certificate_revoked", "certificate_expired", "unsupported_certificate")) {
            if (message.contains(alert)) {
                return "tls: " + server + " refused the client certificate (" + alert + ")";
            }
        }
        return "tls: connection to " + server + " failed: " + message;
    }

    /** After a failed handshake: closing may try to send an alert to a peer that is gone. */
    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the failure being reported says more than this one
        }
    }

    /** Written by the trust manager on the handshake's thread, read after the handshake on the same thread. */
    static final class CertificateVerdict {
        String rejection;
    }
}
