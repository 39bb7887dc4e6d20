package upcase.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's trust manager, whose refusals become one line that says which certificate was refused
 * and why: expired, not for this name (and which names it has), or not signed by a trusted CA
 * (and by whom it is signed). The JDK's own messages name PKIX internals and not the server.
 */
final class ExplainingTrustManager extends X509ExtendedTrustManager {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ISO_INSTANT;

    private final X509ExtendedTrustManager delegate;
    private final String name;
    private final String server;
    private final String trustSource;
    private final ClientTls.CertificateVerdict verdict;

    ExplainingTrustManager(X509ExtendedTrustManager delegate, String name, String server, String trustSource,
            ClientTls.CertificateVerdict verdict) {
        this.delegate = delegate;
        this.name = name;
        this.server = server;
        this.trustSource = trustSource;
        this.verdict = verdict;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, () -> delegate.checkServerTrusted(chain, authType));
    }

    /** One of the JDK's checks. */
    private interface Check {
        void run() throws CertificateException;
    }

    private void verify(X509Certificate[] chain, Check jdk) throws CertificateException {
        try {
            requireCurrent(chain);
            jdk.run();
        } catch (CertificateException e) {
            throw explained(chain, e);
        }
    }

    /**
     * Dates first: PKIX never checks the dates of its trust anchor, so a self-signed certificate
     * trusted with --ca would pass expired; a browser refuses it, and so does upcase.
     */
    private static void requireCurrent(X509Certificate[] chain) throws CertificateException {
        if (chain != null) {
            for (X509Certificate certificate : chain) {
                certificate.checkValidity();
            }
        }
    }

    private CertificateException explained(X509Certificate[] chain, CertificateException e) {
        String reason = reason(chain, e);
        verdict.rejection = reason;
        CertificateException explained = new CertificateException(reason);
        explained.initCause(e);
        return explained;
    }

    private String reason(X509Certificate[] chain, CertificateException e) {
        String prefix = "tls: certificate for " + server;
        if (chain == null || chain.length == 0) {
            return prefix + " is missing: the server sent none";
        }
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException expired) {
                return prefix + (certificate == leaf ? "" : " has a chain that") + " has expired (" + name(certificate)
                        + ", not after " + WHEN.format(certificate.getNotAfter().toInstant()) + ")";
            } catch (CertificateNotYetValidException early) {
                return prefix + " is not valid yet (" + name(certificate) + ", not before "
                        + WHEN.format(certificate.getNotBefore().toInstant()) + ")";
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("subject alternative") || message.contains("No name matching")) {
            return prefix + " is not for " + name + " (" + subject + ", names " + names(leaf) + ")";
        }
        if (message.contains("certification path") || message.contains("PKIX")) {
            return prefix + " is not trusted (" + subject + ", issued by " + leaf.getIssuerX500Principal().getName()
                    + ", not signed by a CA in " + trustSource + "; use --ca FILE to trust its CA, --insecure to skip checks)";
        }
        return prefix + " is refused (" + subject + "): " + PemFiles.oneLine(message);
    }

    private static String name(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    /** {@code DNS:localhost, IP:127.0.0.1}, or {@code no names} when it has no subject alternative names. */
    private static String names(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    int type = (Integer) alternative.get(0);
                    if (type == 2) {
                        names.add("DNS:" + alternative.get(1));
                    } else if (type == 7) {
                        names.add("IP:" + alternative.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return "unreadable names";
        }
        return names.isEmpty() ? "no names" : String.join(", ", names);
    }

    // Client certificates are never checked by a client.
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
