package upcase.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A TLS listener's files ({@code --tls-cert}, {@code --tls-key}, {@code --tls-client-ca}).
 *
 * @param certificate PEM: the server's certificate, then its chain
 * @param key PEM: the certificate's private key (PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param clientCa PEM: the CA certificates client certificates must chain to; null when clients
 *        need no certificate
 */
public record ServerTlsSettings(Path certificate, Path key, Path clientCa) {
    public ServerTlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    public ServerTlsSettings(Path certificate, Path key) {
        this(certificate, key, null);
    }
}
