package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.support.Openssl;
import upcase.support.SocatTlsServer;
import upcase.support.TestPki;

/**
 * {@code tcp-client --tls} against an independent TLS uppercase server (socat and tr), with
 * certificates made by {@code openssl req} (and an expired one by BouncyCastle: openssl 3.0's req
 * cannot backdate). PROTOCOL.md §Clients, TLS: the certificate is verified, every refusal is one
 * line naming the server, exit 1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsClientTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** As {@code main} runs it: the fast path first, picocli for what it leaves. */
    private int run(String stdin, String... args) {
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return Main.launch(io, args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rsaAndEcCertificatesFromOpensslAreVerifiedAgainstTheCaFile() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genrsa", "-traditional", "-out", "rsa-key.pem", "2048");
        openssl.selfSigned("rsa-key.pem", "rsa.pem", "localhost");
        openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-key.pem");
        openssl.selfSigned("ec-key.pem", "ec.pem", "localhost");
        for (String name : List.of("rsa", "ec")) {
            try (SocatTlsServer server = SocatTlsServer.start(dir, dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"), null)) {
                out.reset();
                int status = run("hello over tls\nsecond line\n", "tcp-client", "localhost", "" + server.port(), "--tls",
                        "--ca", dir.resolve(name + ".pem").toString());
                assertThat(stderr()).isEmpty();
                assertThat(status).isZero();
                assertThat(stdout()).isEqualTo("HELLO OVER TLS\nSECOND LINE\n");
                // By address: the certificate names 127.0.0.1 too.
                out.reset();
                assertThat(run("by address\n", "tcp-client", "127.0.0.1", "" + server.port(), "--tls", "--ca",
                        dir.resolve(name + ".pem").toString(), "--once")).isZero();
                assertThat(stdout()).isEqualTo("BY ADDRESS\n");
                // No line end: tr answers only at end of input, so the reply proves the client's
                // half-close (close_notify) reached it and the client still read afterwards.
                out.reset();
                assertThat(run("no line end", "tcp-client", "localhost", "" + server.port(), "--tls", "--ca",
                        dir.resolve(name + ".pem").toString())).isZero();
                assertThat(stdout()).isEqualTo("NO LINE END");
            }
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedInOneLineAndInsecureAcceptsIt() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        openssl.selfSigned("key.pem", "cert.pem", "localhost");
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other-key.pem");
        openssl.selfSigned("other-key.pem", "other-ca.pem", "some other CA");
        try (SocatTlsServer server = SocatTlsServer.start(dir, dir.resolve("cert.pem"), dir.resolve("key.pem"), null)) {
            String address = "localhost:" + server.port();
            assertThat(run("x\n", "tcp-client", "localhost", "" + server.port(), "--tls")).isEqualTo(1);
            assertOneLine("upcase: tls: certificate for " + address + " is not trusted (CN=localhost, issued by CN=localhost,"
                    + " not signed by a CA in the JDK's trust store; use --ca FILE to trust its CA, --insecure to skip checks)");

            err.reset();
            Path otherCa = dir.resolve("other-ca.pem");
            assertThat(run("x\n", "tcp-client", "localhost", "" + server.port(), "--tls", "--ca", otherCa.toString()))
                    .isEqualTo(1);
            assertOneLine("upcase: tls: certificate for " + address + " is not trusted (CN=localhost, issued by CN=localhost,"
                    + " not signed by a CA in " + otherCa + "; use --ca FILE to trust its CA, --insecure to skip checks)");

            err.reset();
            assertThat(run("insecure\n", "tcp-client", "localhost", "" + server.port(), "--tls", "--insecure")).isZero();
            assertThat(stdout()).isEqualTo("INSECURE\n");
            assertThat(stderr()).isEmpty();
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedAndServerNameChoosesTheNameToCheck() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genrsa", "-traditional", "-out", "key.pem", "2048");
        openssl.selfSignedOnlyFor("key.pem", "cert.pem", "upcase.example");
        Path cert = dir.resolve("cert.pem");
        try (SocatTlsServer server = SocatTlsServer.start(dir, cert, dir.resolve("key.pem"), null)) {
            String port = "" + server.port();
            assertThat(run("x\n", "tcp-client", "localhost", port, "--tls", "--ca", cert.toString())).isEqualTo(1);
            assertOneLine("upcase: tls: certificate for localhost:" + port + " is not for localhost"
                    + " (CN=upcase.example, names DNS:upcase.example)");

            err.reset();
            assertThat(run("x\n", "tcp-client", "127.0.0.1", port, "--tls", "--ca", cert.toString())).isEqualTo(1);
            assertOneLine("upcase: tls: certificate for 127.0.0.1:" + port + " is not for 127.0.0.1"
                    + " (CN=upcase.example, names DNS:upcase.example)");

            err.reset();
            assertThat(run("named\n", "tcp-client", "127.0.0.1", port, "--tls", "--ca", cert.toString(),
                    "--server-name", "upcase.example")).isZero();
            assertThat(stdout()).isEqualTo("NAMED\n");

            err.reset();
            out.reset();
            assertThat(run("any name\n", "tcp-client", "localhost", port, "--tls", "--insecure")).isZero();
            assertThat(stdout()).isEqualTo("ANY NAME\n");
        }
    }

    @Test
    void anExpiredCertificateIsRefusedSayingWhenItExpired() throws Exception {
        KeyPair keys = TestPki.ec();
        Instant notAfter = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        TestPki.Issued expired = TestPki.leaf(keys, "localhost", List.of("localhost", "127.0.0.1"), null,
                notAfter.minus(30, ChronoUnit.DAYS), notAfter);
        Path cert = TestPki.writeCertificates(dir.resolve("expired.pem"), expired.certificate());
        Path key = TestPki.writeKey(dir.resolve("expired-key.pem"), keys.getPrivate(), TestPki.KeyFormat.PKCS8);
        try (SocatTlsServer server = SocatTlsServer.start(dir, cert, key, null)) {
            assertThat(run("x\n", "tcp-client", "localhost", "" + server.port(), "--tls", "--ca", cert.toString()))
                    .isEqualTo(1);
            assertOneLine("upcase: tls: certificate for localhost:" + server.port() + " has expired (CN=localhost, not after "
                    + notAfter + ")");

            err.reset();
            assertThat(run("late\n", "tcp-client", "localhost", "" + server.port(), "--tls", "--insecure")).isZero();
            assertThat(stdout()).isEqualTo("LATE\n");
        }
    }

    @Test
    void aServerThatRequiresAClientCertificateAcceptsOneSignedByItsCa() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server-key.pem");
        openssl.selfSigned("server-key.pem", "server.pem", "localhost");
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca-key.pem");
        openssl.run("req", "-x509", "-key", "ca-key.pem", "-out", "client-ca.pem", "-days", "1", "-subj", "/CN=client CA");
        openssl.run("genrsa", "-traditional", "-out", "client-key.pem", "2048");
        openssl.run("req", "-new", "-key", "client-key.pem", "-out", "client.csr", "-subj", "/CN=upcase client");
        openssl.run("x509", "-req", "-in", "client.csr", "-CA", "client-ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-days", "1", "-out", "client.pem");
        try (SocatTlsServer server = SocatTlsServer.start(dir, dir.resolve("server.pem"), dir.resolve("server-key.pem"),
                dir.resolve("client-ca.pem"))) {
            String port = "" + server.port();
            String ca = dir.resolve("server.pem").toString();
            assertThat(run("with certificate\n", "tcp-client", "localhost", port, "--tls", "--ca", ca,
                    "--cert", dir.resolve("client.pem").toString(), "--key", dir.resolve("client-key.pem").toString()))
                    .as(stderr()).isZero();
            assertThat(stdout()).isEqualTo("WITH CERTIFICATE\n");

            assertThat(run("without\n", "tcp-client", "localhost", port, "--tls", "--ca", ca)).isEqualTo(1);
            assertOneLine("upcase: tls: localhost:" + port + " requires a client certificate (give one with --cert FILE --key FILE)");

            // A certificate from a CA the server does not know.
            err.reset();
            openssl.run("genrsa", "-traditional", "-out", "stranger-key.pem", "2048");
            openssl.selfSigned("stranger-key.pem", "stranger.pem", "stranger");
            assertThat(run("stranger\n", "tcp-client", "localhost", port, "--tls", "--ca", ca,
                    "--cert", dir.resolve("stranger.pem").toString(), "--key", dir.resolve("stranger-key.pem").toString()))
                    .isEqualTo(1);
            // The server's alert, or (TLS 1.3, when the client's write hits the closed socket first)
            // the hang-up that carries it: either way one line about the client certificate.
            assertThat(stderr()).startsWith("upcase: tls: localhost:" + port + " ").contains("client certificate");
            assertThat(stderr().lines()).hasSize(1);
        }
    }

    @Test
    void tlsOptionsWithoutTlsOrTogetherWrongAreUsageErrors() {
        assertThat(run("", "tcp-client", "--ca", "ca.pem")).isEqualTo(Main.USAGE);
        assertThat(stderr()).startsWith("upcase: --ca, --insecure, --server-name, --cert and --key need --tls");
        err.reset();
        assertThat(run("", "tcp-client", "--tls", "--ca", "ca.pem", "--insecure")).isEqualTo(Main.USAGE);
        assertThat(stderr()).startsWith("upcase: --ca and --insecure cannot be used together");
        err.reset();
        assertThat(run("", "tcp-client", "--tls", "--cert", "c.pem")).isEqualTo(Main.USAGE);
        assertThat(stderr()).startsWith("upcase: --cert and --key go together");
    }

    @Test
    void aMissingCaFileIsOneLine() {
        Path missing = dir.resolve("nope.pem");
        // Port 1 on loopback: nothing listens, but the CA file is read only after connecting, so
        // the connection error comes first; a listening socket shows the file error.
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(run("x\n", "tcp-client", "127.0.0.1", "" + listener.getLocalPort(), "--tls", "--ca", missing.toString()))
                    .isEqualTo(1);
            assertOneLine("upcase: tls: CA file " + missing + " does not exist");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private void assertOneLine(String expected) {
        assertThat(stderr()).isEqualTo(expected + System.lineSeparator());
    }
}
