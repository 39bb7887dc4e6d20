package upcase.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A TLS listener's current certificate and key, as an SSLContext, and what replaces them on
 * SIGHUP. {@link #reload()} (on the signal's thread) builds a whole new context and swaps it in
 * with one volatile write; {@link #newEngine()} (on an event loop, per accepted connection) reads
 * it once, so a handshake uses one pair from start to end, open connections keep the engine they
 * have, and a bad file leaves the old pair serving.
 */
public final class ServerTls {
    private final ServerTlsSettings settings;
    private volatile Loaded current;

    /** One successful load: the context and what it was made from. */
    private record Loaded(SSLContext context, SSLParameters parameters, X509Certificate leaf) {}

    /** What a reload did: {@code loaded} false means the old pair is still in use. One line either way. */
    public record Reload(boolean loaded, String message) {}

    private ServerTls(ServerTlsSettings settings, Loaded loaded) {
        this.settings = settings;
        this.current = loaded;
    }

    /**
     * Reads the files and builds the context.
     *
     * @throws TlsFileException naming the file and what is wrong with it, in one line
     */
    public static ServerTls load(ServerTlsSettings settings) throws TlsFileException {
        return new ServerTls(settings, build(settings));
    }

    /** A server-side engine for a new connection: TLS 1.3 and 1.2, client certificate required if configured. */
    public SSLEngine newEngine() {
        Loaded loaded = current;
        SSLEngine engine = loaded.context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(loaded.parameters);
        return engine;
    }

    /** The current context, for blocking SSLServerSockets (tests, tools). */
    public SSLContext context() {
        return current.context;
    }

    /** The parameters every engine and socket of the current context gets. */
    public SSLParameters parameters() {
        Loaded loaded = current;
        SSLParameters copy = loaded.context.getDefaultSSLParameters();
        copy.setProtocols(loaded.parameters.getProtocols());
        copy.setNeedClientAuth(loaded.parameters.getNeedClientAuth());
        return copy;
    }

    /** Reads the files again; on any error keeps serving with the pair it has. */
    public Reload reload() {
        try {
            Loaded loaded = build(settings);
            current = loaded;
            return new Reload(true, "tls: reloaded " + describe(loaded.leaf, settings.certificate()));
        } catch (TlsFileException e) {
            return new Reload(false, e.getMessage() + "; still serving " + describe(current.leaf, settings.certificate()));
        }
    }

    /** The certificate in use, for the start-up line: subject and expiry. */
    public String describe() {
        return describe(current.leaf, settings.certificate());
    }

    private static String describe(X509Certificate leaf, Path file) {
        return file + " (" + leaf.getSubjectX500Principal().getName() + ", expires "
                + DateTimeFormatter.ISO_LOCAL_DATE.format(leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC)) + ")";
    }

    private static Loaded build(ServerTlsSettings settings) throws TlsFileException {
        KeyMaterial keys = KeyMaterial.load(settings.certificate(), settings.key(), "certificate");
        List<X509Certificate> clientCas = settings.clientCa() == null ? null
                : PemFiles.certificates(settings.clientCa(), "client CA");
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.keyManagers(), clientCas == null ? null : TrustStores.trustManagers(clientCas), null);
            SSLParameters parameters = context.getDefaultSSLParameters();
            parameters.setProtocols(TlsProtocols.ENABLED);
            parameters.setNeedClientAuth(clientCas != null);
            return new Loaded(context, parameters, keys.leaf());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsFileException("tls: cannot set up TLS with " + settings.certificate() + ": "
                    + PemFiles.oneLine(e.getMessage()), e);
        }
    }

}
