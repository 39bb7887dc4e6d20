package upcase.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client's TLS towards one server: the context (trust, client certificate) built once from the
 * settings, TLS sockets ({@code tcp-client}, the probe) and non-blocking engines (the bench) that
 * verify the certificate the way a browser does, and every refusal as one line naming the server.
 *
 * <p>Not thread-safe: the trust manager leaves the reason for a refusal where the handshake's
 * thread reads it afterwards, so each thread that runs handshakes has a context of its own (the
 * bench makes one per load thread; the probe's TCP checks run on one thread).
 */
public final class ClientContext {
    private final SSLContext context;
    private final ClientTlsSettings settings;
    private final String name;
    private final String server;
    private final ClientTls.CertificateVerdict verdict;

    private ClientContext(SSLContext context, ClientTlsSettings settings, String name, String server,
            ClientTls.CertificateVerdict verdict) {
        this.context = context;
        this.settings = settings;
        this.name = name;
        this.server = server;
        this.verdict = verdict;
    }

    /**
     * Reads the CA and client certificate files and builds the context.
     *
     * @param host the name or address the user gave: checked against the certificate unless
     *        {@code settings.serverName()} names another
     * @param server the server as messages name it, {@code localhost:6789}
     * @throws IOException one line: {@code tls: CA file ca.pem does not exist}
     */
    public static ClientContext create(ClientTlsSettings settings, String host, String server) throws IOException {
        String name = settings.serverName() != null ? settings.serverName() : host;
        ClientTls.CertificateVerdict verdict = new ClientTls.CertificateVerdict();
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
            return new ClientContext(context, settings, name, server, verdict);
        } catch (GeneralSecurityException e) {
            throw new SSLException("tls: cannot set up TLS for " + server + ": " + PemFiles.oneLine(e.getMessage()), e);
        }
    }

    /** The server as messages name it. */
    public String server() {
        return server;
    }

    /** Whether the certificate is checked at all (not with {@code --insecure}). */
    public boolean verifies() {
        return !settings.insecure();
    }

    /** A TLS socket over {@code plain} (connected), in client mode; the handshake is the caller's. */
    SSLSocket socket(Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, name, plain.getPort(), true);
        socket.setSSLParameters(parameters(socket.getSSLParameters()));
        return socket;
    }

    /**
     * A client engine for one connection, for a caller that drives wrap and unwrap itself. Its
     * session is never resumed by a later engine: the JDK keeps a client session for resumption
     * under its peer's host and port, and only when the port is a real one
     * (SSLSessionContextImpl.put), so with port -1 each engine runs a full handshake, which is
     * what a benchmark of handshakes counts.
     */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine(name, -1);
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters(engine.getSSLParameters()));
        return engine;
    }

    private SSLParameters parameters(SSLParameters parameters) {
        parameters.setProtocols(TlsProtocols.ENABLED);
        if (!settings.insecure()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(name)) {
            parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        return parameters;
    }

    /**
     * One line for a failed handshake, and forgets the refusal it reports: the certificate's
     * refusal if the trust manager made one, else the server's alert or the broken connection.
     */
    public String failure(Exception e) {
        String rejection = verdict.rejection;
        verdict.rejection = null;
        if (rejection != null) {
            return rejection;
        }
        if (e instanceof SSLException ssl) {
            return ClientTls.describe(ssl, server);
        }
        if (!(e instanceof IOException)) {
            // The engine's own failure (an IllegalStateException, say), for the bench, which drives it by hand.
            return "tls: connection to " + server + " failed: " + e;
        }
        // The server hung up mid-handshake (a write then fails with a broken pipe before its
        // alert, if any, is read): in TLS 1.3 that is how a refused client certificate can look.
        return "tls: " + server + " closed the connection during the handshake"
                + (settings.certificate() != null ? " (did it refuse the client certificate?)" : "")
                + (e.getMessage() == null ? "" : ": " + PemFiles.oneLine(e.getMessage()));
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
}
