package upcase.tls;

import java.nio.file.Path;

/**
 * How a client speaks TLS ({@code tcp-client --tls}).
 *
 * @param ca PEM CA certificates to trust instead of the JDK's trust store; null for the JDK's
 * @param insecure accept any certificate for any name (testing only): no trust or name check
 * @param serverName the name the certificate must carry, also sent as SNI; null for the host
 *        connected to
 * @param certificate PEM client certificate (and chain) for servers that ask for one; null for none
 * @param key PEM private key of {@code certificate}
 */
public record ClientTlsSettings(Path ca, boolean insecure, String serverName, Path certificate, Path key) {
    public ClientTlsSettings {
        if (insecure && ca != null) {
            throw new IllegalArgumentException("--ca and --insecure cannot be used together");
        }
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        if (serverName != null && (serverName.isBlank() || serverName.chars().anyMatch(c -> c <= ' ' || c > '~'))) {
            throw new IllegalArgumentException("--server-name must be a host name, not '" + serverName + "'");
        }
    }

    /** Verify against the JDK's trust store and the host's own name, no client certificate. */
    public static ClientTlsSettings verifying() {
        return new ClientTlsSettings(null, false, null, null, null);
    }
}
