package upcase.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import upcase.tls.ClientTlsSettings;

/** {@code --tls [--ca FILE | --insecure] [--server-name NAME] [--cert FILE --key FILE]}: a client's TLS. */
final class TlsClientOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls", description = "Speak TLS (1.3 or 1.2); the server's certificate is verified.")
    boolean tls;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "With --tls: trust the CA certificates in this PEM file instead of the JDK's trust store.")
    Path ca;

    @Option(names = "--insecure",
            description = "With --tls: accept any certificate for any name (testing only; traffic is still encrypted).")
    boolean insecure;

    @Option(names = "--server-name", paramLabel = "NAME",
            description = "With --tls: the name the certificate must carry, also sent as SNI (default: HOST).")
    String serverName;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "With --tls: a client certificate (PEM, with its chain), for servers that require one.")
    Path certificate;

    @Option(names = "--key", paramLabel = "FILE",
            description = "With --tls: the client certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1).")
    Path key;

    /** The settings, or null without {@code --tls}; a TLS option without it is a usage error. */
    ClientTlsSettings settings() {
        if (!tls) {
            if (ca != null || insecure || serverName != null || certificate != null || key != null) {
                throw new ParameterException(spec.commandLine(),
                        "--ca, --insecure, --server-name, --cert and --key need --tls");
            }
            return null;
        }
        try {
            return new ClientTlsSettings(ca, insecure, serverName, certificate, key);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
