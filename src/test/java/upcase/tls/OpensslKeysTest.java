package upcase.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import upcase.support.Openssl;

/**
 * Keys as operators get them from {@code openssl} (RSA and EC; PKCS#8, PKCS#1, SEC1 with and
 * without the EC PARAMETERS block), with certificates from {@code openssl req}: each pair loads
 * and serves a handshake a verifying client accepts.
 */
class OpensslKeysTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "RSA PKCS#8     | genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem | BEGIN PRIVATE KEY",
        "RSA PKCS#1     | genrsa -traditional -out key.pem 2048                            | BEGIN RSA PRIVATE KEY",
        "EC PKCS#8      | genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem | BEGIN PRIVATE KEY",
        "EC SEC1        | ecparam -name prime256v1 -genkey -noout -out key.pem             | BEGIN EC PRIVATE KEY",
        "EC SEC1 params | ecparam -name secp384r1 -genkey -out key.pem                     | BEGIN EC PARAMETERS",
    })
    void opensslKeysServeAVerifiedHandshake(String name, String command, String firstLabel) throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run(command.split(" "));
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----" + firstLabel + "-----");
        openssl.selfSigned("key.pem", "cert.pem", "localhost");

        ServerTls tls = ServerTls.load(new ServerTlsSettings(dir.resolve("cert.pem"), dir.resolve("key.pem")));
        try (TlsUppercaseServer server = new TlsUppercaseServer(tls)) {
            ClientTlsSettings trustIt = new ClientTlsSettings(dir.resolve("cert.pem"), false, null, null, null);
            Handshakes.Exchange exchange = Handshakes.exchange(server.port(), "localhost", trustIt, "made by openssl");
            assertThat(exchange.reply()).isEqualTo("MADE BY OPENSSL");
            assertThat(exchange.serverSubject()).isEqualTo("CN=localhost");
        }
    }

    @Test
    void anEncryptedKeyIsRefusedWithHowToDecryptIt() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        openssl.selfSigned("key.pem", "cert.pem", "localhost");
        openssl.run("pkey", "-in", "key.pem", "-aes256", "-passout", "pass:secret", "-out", "encrypted.pem");
        Path encrypted = dir.resolve("encrypted.pem");
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(dir.resolve("cert.pem"), encrypted)))
                .hasMessage("tls: key file " + encrypted + " is encrypted; upcase reads unencrypted keys (decrypt it with: "
                        + "openssl pkey -in " + encrypted + " -out KEY.pem)");
    }

    @Test
    void anOpensslKeyForAnotherCertificateIsRefused() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genrsa", "-traditional", "-out", "key.pem", "2048");
        openssl.run("genrsa", "-traditional", "-out", "other.pem", "2048");
        openssl.selfSigned("key.pem", "cert.pem", "localhost");
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(dir.resolve("cert.pem"), dir.resolve("other.pem"))))
                .hasMessage("tls: key file " + dir.resolve("other.pem") + " does not match the certificate in "
                        + dir.resolve("cert.pem") + " (CN=localhost)");
    }
}
