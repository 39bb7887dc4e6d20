package upcase.tls;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
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
        String name = settings.serverName() != null ? settings.serverName() : host;
        CertificateVerdict verdict = new CertificateVerdict();
        SSLContext context = context(settings, name, server, verdict);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, name, plain.getPort(), true);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(TlsProtocols.ENABLED);
            if (!settings.insecure()) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!isIpLiteral(name)) {
                parameters.setServerNames(List.of(new SNIHostName(name)));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new SocketTimeoutException("tls: no handshake from " + server + " within " + Durations.format(timeout));
        } catch (SSLException e) {
            closeQuietly(socket);
            String reason = verdict.rejection != null ? verdict.rejection : describe(e, server);
            SSLHandshakeException failure = new SSLHandshakeException(reason);
            failure.initCause(e);
            throw failure;
        } catch (IOException e) {
            // The server hung up mid-handshake (a write then fails with a broken pipe before its
            // alert, if any, is read): in TLS 1.3 that is how a refused client certificate can look.
            closeQuietly(socket);
            throw new SSLHandshakeException("tls: " + server + " closed the connection during the handshake"
                    + (settings.certificate() != null ? " (did it refuse the client certificate?)" : "") + ": "
                    + PemFiles.oneLine(e.getMessage()));
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

    private static SSLContext context(ClientTlsSettings settings, String name, String server, CertificateVerdict verdict)
            throws IOException {
        List<X509Certificate> cas = settings.ca() == null ? null : PemFiles.certificates(settings.ca(), "CA");
        KeyManager[] keyManagers = null;
        try {
            if (settings.certificate() != null) {
                keyManagers = KeyMaterial.load(settings.certificate(), settings.key(), "client certificate").keyManagers();
            }
            TrustManager trust = settings.insecure() ? new TrustingEveryone()
                    : new ExplainingTrustManager(delegate(cas == null ? TrustStores.system() : TrustStores.trustManagers(cas)),
                            name, server, settings.ca() == null ? "the JDK's trust store" : settings.ca().toString(), verdict);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new SSLException("tls: cannot set up TLS for " + server + ": " + PemFiles.oneLine(e.getMessage()), e);
        }
    }

    /** After a failed handshake: closing may try to send an alert to a peer that is gone. */
    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the failure being reported says more than this one
        }
    }

    private static X509ExtendedTrustManager delegate(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    }

    /** An IPv4 or IPv6 literal: SNI carries host names only (RFC 6066 section 3). */
    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    /** Written by the trust manager on the handshake's thread, read after the handshake on the same thread. */
    static final class CertificateVerdict {
        String rejection;
    }
}
