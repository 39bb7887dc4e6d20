package upcase.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import upcase.support.TestPki;
import upcase.support.TestPki.Issued;
import upcase.support.TestPki.KeyFormat;

/**
 * Server certificates and keys made by BouncyCastle in every PEM format (so these tests never
 * skip), proved by real handshakes on loopback with a verifying client.
 */
class ServerTlsTest {
    @TempDir
    Path dir;

    private final Issued ca = TestPki.ca("upcase test CA");

    @ParameterizedTest(name = "{0} key as {1}")
    @CsvSource({"RSA, PKCS8, BEGIN PRIVATE KEY", "RSA, TRADITIONAL, BEGIN RSA PRIVATE KEY",
        "EC, PKCS8, BEGIN PRIVATE KEY", "EC, TRADITIONAL, BEGIN EC PRIVATE KEY"})
    void everyKeyFormatServesAVerifiedHandshake(String algorithm, KeyFormat format, String label) throws IOException {
        KeyPair keys = algorithm.equals("RSA") ? TestPki.rsa() : TestPki.ec();
        Issued leaf = TestPki.localhost(keys, ca);
        Path cert = TestPki.writeCertificates(dir.resolve("cert.pem"), leaf.certificate(), ca.certificate());
        Path key = TestPki.writeKey(dir.resolve("key.pem"), keys.getPrivate(), format);
        assertThat(Files.readString(key)).startsWith("-----" + label + "-----");

        ServerTls tls = ServerTls.load(new ServerTlsSettings(cert, key));
        assertThat(tls.describe()).contains("CN=localhost", "expires");
        try (TlsUppercaseServer server = new TlsUppercaseServer(tls)) {
            Handshakes.Exchange exchange = Handshakes.exchange(server.port(), "localhost", trusting(ca), "hello tls");
            assertThat(exchange.reply()).isEqualTo("HELLO TLS");
            assertThat(exchange.protocol()).isEqualTo("TLSv1.3");
            assertThat(exchange.serverSubject()).isEqualTo("CN=localhost");
        }
    }

    @Test
    void enginesSpeakTls13And12Only() throws IOException {
        KeyPair keys = TestPki.ec();
        ServerTls tls = ServerTls.load(files(TestPki.localhost(keys, ca), KeyFormat.PKCS8));
        SSLEngine engine = tls.newEngine();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(engine.getUseClientMode()).isFalse();
        assertThat(engine.getNeedClientAuth()).isFalse();
        assertThat(tls.parameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void aClientOfferingOnlyTls12IsServed() throws Exception {
        ServerTls tls = ServerTls.load(files(TestPki.localhost(TestPki.rsa(), ca), KeyFormat.TRADITIONAL));
        try (TlsUppercaseServer server = new TlsUppercaseServer(tls)) {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, TrustStores.trustManagers(List.of(ca.certificate())), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("abc\n".getBytes());
                assertThat(Handshakes.readLine(socket)).isEqualTo("ABC");
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            }
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedNamingBothFiles() throws IOException {
        Issued leaf = TestPki.localhost(TestPki.ec(), ca);
        Path cert = TestPki.writeCertificates(dir.resolve("cert.pem"), leaf.certificate());
        Path otherEc = TestPki.writeKey(dir.resolve("other-ec.pem"), TestPki.ec().getPrivate(), KeyFormat.TRADITIONAL);
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(cert, otherEc)))
                .isInstanceOf(TlsFileException.class)
                .hasMessage("tls: key file " + otherEc + " does not match the certificate in " + cert + " (CN=localhost)");
        Path rsa = TestPki.writeKey(dir.resolve("rsa.pem"), TestPki.rsa().getPrivate(), KeyFormat.PKCS8);
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(cert, rsa)))
                .hasMessage("tls: key file " + rsa + " does not match the certificate in " + cert
                        + " (CN=localhost): a RSA key for a EC certificate");
    }

    @Test
    void missingAndWrongFilesAreOneLineNamingTheFile() throws IOException {
        KeyPair keys = TestPki.rsa();
        Issued leaf = TestPki.localhost(keys, ca);
        Path cert = TestPki.writeCertificates(dir.resolve("cert.pem"), leaf.certificate());
        Path key = TestPki.writeKey(dir.resolve("key.pem"), keys.getPrivate(), KeyFormat.TRADITIONAL);
        Path missing = dir.resolve("missing.pem");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a PEM file\n");

        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(missing, key)))
                .hasMessage("tls: certificate file " + missing + " does not exist");
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(cert, missing)))
                .hasMessage("tls: key file " + missing + " does not exist");
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(key, key)))
                .hasMessage("tls: certificate file " + key + " holds no PEM certificate (it has BEGIN RSA PRIVATE KEY)");
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(cert, cert)))
                .hasMessage("tls: key file " + cert + " holds no private key (it has BEGIN CERTIFICATE); "
                        + "expected BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY");
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(junk, key)))
                .hasMessage("tls: certificate file " + junk + " holds no PEM certificate (it has no PEM block)");
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(cert, key, junk)))
                .hasMessage("tls: client CA file " + junk + " holds no PEM certificate (it has no PEM block)");
        Path corrupt = Files.writeString(dir.resolve("corrupt.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ServerTls.load(new ServerTlsSettings(cert, corrupt)))
                .isInstanceOf(TlsFileException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("tls: key file " + corrupt + " cannot be read: ")
                        .doesNotContain("\n"));
    }

    @Test
    void aKeyAndItsCertificateInOneFileLoad() throws IOException {
        KeyPair keys = TestPki.ec();
        Issued leaf = TestPki.localhost(keys, ca);
        Path both = dir.resolve("both.pem");
        String key = Files.readString(TestPki.writeKey(dir.resolve("k.pem"), keys.getPrivate(), KeyFormat.TRADITIONAL));
        String cert = Files.readString(TestPki.writeCertificates(dir.resolve("c.pem"), leaf.certificate()));
        Files.writeString(both, key + cert);
        ServerTls tls = ServerTls.load(new ServerTlsSettings(both, both));
        try (TlsUppercaseServer server = new TlsUppercaseServer(tls)) {
            assertThat(Handshakes.exchange(server.port(), "localhost", trusting(ca), "x").reply()).isEqualTo("X");
        }
    }

    @Test
    void reloadServesNewHandshakesWithTheNewPairKeepsOpenConnectionsAndKeepsTheOldPairOnABadFile() throws IOException {
        KeyPair first = TestPki.ec();
        Path cert = TestPki.writeCertificates(dir.resolve("cert.pem"),
                TestPki.leaf(first, "first", List.of("localhost"), ca, java.time.Instant.now().minusSeconds(60),
                        java.time.Instant.now().plusSeconds(3600)).certificate());
        Path key = TestPki.writeKey(dir.resolve("key.pem"), first.getPrivate(), KeyFormat.PKCS8);
        ServerTls tls = ServerTls.load(new ServerTlsSettings(cert, key));
        try (TlsUppercaseServer server = new TlsUppercaseServer(tls);
                SSLSocket before = Handshakes.open(server.port(), "localhost", trusting(ca))) {
            assertThat(Handshakes.exchange(server.port(), "localhost", trusting(ca), "a").serverSubject()).isEqualTo("CN=first");

            KeyPair second = TestPki.rsa();
            TestPki.writeCertificates(cert, TestPki.leaf(second, "second", List.of("localhost"), ca,
                    java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(3600)).certificate());
            TestPki.writeKey(key, second.getPrivate(), KeyFormat.TRADITIONAL);
            ServerTls.Reload reload = tls.reload();
            assertThat(reload.loaded()).isTrue();
            assertThat(reload.message()).startsWith("tls: reloaded " + cert + " (CN=second, expires ");
            assertThat(Handshakes.exchange(server.port(), "localhost", trusting(ca), "b").serverSubject()).isEqualTo("CN=second");

            // The connection made before the reload goes on with the pair it shook hands with.
            before.getOutputStream().write("still here\n".getBytes());
            assertThat(Handshakes.readLine(before)).isEqualTo("STILL HERE");
            assertThat(before.getSession().getPeerCertificates()[0].toString()).contains("CN=first");

            // A renewal caught half-written: the certificate is new, the key still the old one.
            TestPki.writeCertificates(cert, TestPki.localhost(TestPki.ec(), ca).certificate());
            ServerTls.Reload bad = tls.reload();
            assertThat(bad.loaded()).isFalse();
            assertThat(bad.message()).startsWith("tls: key file " + key + " does not match the certificate in " + cert)
                    .contains("; still serving " + cert + " (CN=second").doesNotContain("\n");
            assertThat(Handshakes.exchange(server.port(), "localhost", trusting(ca), "c").serverSubject()).isEqualTo("CN=second");

            Files.delete(key);
            assertThat(tls.reload().message()).startsWith("tls: key file " + key + " does not exist; still serving");
            assertThat(Handshakes.exchange(server.port(), "localhost", trusting(ca), "d").reply()).isEqualTo("D");
        }
    }

    @Test
    void aRequiredClientCertificateIsCheckedAgainstTheClientCa() throws IOException {
        Issued clientCa = TestPki.ca("client CA");
        Path clientCaFile = TestPki.writeCertificates(dir.resolve("client-ca.pem"), clientCa.certificate());
        KeyPair serverKeys = TestPki.ec();
        ServerTlsSettings files = files(TestPki.localhost(serverKeys, ca), KeyFormat.PKCS8);
        ServerTls tls = ServerTls.load(new ServerTlsSettings(files.certificate(), files.key(), clientCaFile));
        assertThat(tls.newEngine().getNeedClientAuth()).isTrue();

        KeyPair good = TestPki.rsa();
        Path goodCert = TestPki.writeCertificates(dir.resolve("good.pem"), TestPki.leaf(good, "alice", List.of(), clientCa,
                java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(3600)).certificate());
        Path goodKey = TestPki.writeKey(dir.resolve("good-key.pem"), good.getPrivate(), KeyFormat.TRADITIONAL);
        KeyPair stranger = TestPki.ec();
        Path strangerCert = TestPki.writeCertificates(dir.resolve("stranger.pem"), TestPki.leaf(stranger, "mallory", List.of(),
                ca, java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(3600)).certificate());
        Path strangerKey = TestPki.writeKey(dir.resolve("stranger-key.pem"), stranger.getPrivate(), KeyFormat.PKCS8);
        Path caFile = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());

        try (TlsUppercaseServer server = new TlsUppercaseServer(tls)) {
            assertThat(Handshakes.exchange(server.port(), "localhost",
                    new ClientTlsSettings(caFile, false, null, goodCert, goodKey), "let me in").reply()).isEqualTo("LET ME IN");
            // TLS 1.3 sends the server's refusal of a client certificate after the client's
            // handshake is done: it shows on the first read.
            assertThatThrownBy(() -> Handshakes.exchange(server.port(), "localhost", trusting(ca), "no certificate"))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> Handshakes.exchange(server.port(), "localhost",
                    new ClientTlsSettings(caFile, false, null, strangerCert, strangerKey), "wrong CA"))
                    .isInstanceOf(IOException.class);
        }
    }

    private ServerTlsSettings files(Issued leaf, KeyFormat format) throws IOException {
        return new ServerTlsSettings(
                TestPki.writeCertificates(dir.resolve("cert.pem"), leaf.certificate(), ca.certificate()),
                TestPki.writeKey(dir.resolve("key.pem"), leaf.keys().getPrivate(), format));
    }

    private ClientTlsSettings trusting(Issued authority) throws IOException {
        Path file = TestPki.writeCertificates(dir.resolve("trusted-ca-" + authority.certificate().getSerialNumber() + ".pem"),
                authority.certificate());
        return new ClientTlsSettings(file, false, null, null, null);
    }
}
