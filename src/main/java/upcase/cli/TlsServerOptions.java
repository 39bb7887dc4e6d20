package upcase.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import upcase.tcp.TcpServerConfig;
import upcase.tls.ServerTlsSettings;

/**
 * {@code --tls-port PORT --tls-cert FILE --tls-key FILE [--tls-client-ca FILE]}: a server's TLS
 * listener. The files are read when the server starts (a bad one: one line, exit 1); options
 * that make no sense together are usage errors (exit 2).
 */
final class TlsServerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls-port", paramLabel = "PORT", converter = PortConverter.class,
            defaultValue = "${env:UPCASE_TLS_PORT}",
            description = "A TLS listener on this port beside the plain one, same --bind; 0 = any free port"
                    + " (default: none; env UPCASE_TLS_PORT). Needs --tls-cert and --tls-key.")
    Integer port;

    @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = "${env:UPCASE_TLS_CERT}",
            description = "PEM: the server's certificate, then its chain (env UPCASE_TLS_CERT). SIGHUP reloads it.")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = "${env:UPCASE_TLS_KEY}",
            description = "PEM: the certificate's private key, PKCS#8, PKCS#1 (RSA) or SEC1 (EC) (env UPCASE_TLS_KEY).")
    Path key;

    @Option(names = "--tls-client-ca", paramLabel = "FILE", defaultValue = "${env:UPCASE_TLS_CLIENT_CA}",
            description = "PEM: require client certificates signed by these CAs (default: none asked;"
                    + " env UPCASE_TLS_CLIENT_CA).")
    Path clientCa;

    /**
     * The TLS listener, or null without one.
     *
     * @param tlsOnly {@code tcp-server --tls}: the one port speaks TLS (then --tls-port is an error)
     */
    TcpServerConfig.TlsListener listener(ListenOptions listen, boolean tlsOnly) {
        if (tlsOnly && port != null) {
            throw usage("--tls makes the one port TLS; give --port, not --tls-port");
        }
        if (!tlsOnly && port == null) {
            if (certificate != null || key != null || clientCa != null) {
                throw usage("--tls-cert, --tls-key and --tls-client-ca need --tls-port"
                        + (spec.name().equals("tcp-server") ? " or --tls" : ""));
            }
            return null;
        }
        String what = tlsOnly ? "--tls" : "--tls-port";
        if (certificate == null || key == null) {
            throw usage(what + " needs --tls-cert FILE and --tls-key FILE");
        }
        return new TcpServerConfig.TlsListener(new ServerTlsSettings(certificate, key, clientCa),
                tlsOnly ? null : listen.address(port));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
