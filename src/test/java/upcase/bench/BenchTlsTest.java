package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.cli.Main;
import upcase.support.Openssl;
import upcase.support.SocatTlsServer;
import upcase.support.TestPki;
import upcase.support.TlsRelay;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;

/**
 * {@code bench tcp|bulk|connect --tls} against independent TLS uppercase servers: socat piped to
 * tr (certificates by {@code openssl req}), and the JDK's SSLServerSocket relaying to a plain
 * upcase server (certificates by BouncyCastle). Every reply byte is still checked through TLS, a
 * refused certificate is one line and exit 1, and the report says what TLS negotiated.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchTlsTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static TcpServer plain;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        plain = TcpServer.start(TcpServerConfig.defaults(LOOPBACK));
    }

    @AfterAll
    static void stopServer() {
        plain.close();
    }

    private Path json() {
        return dir.resolve("bench-" + System.nanoTime() + ".json");
    }

    /** A relay for localhost signed by a CA whose certificate is in {@code ca.pem}; drops reply byte {@code dropAt} (-1: none). */
    private TlsRelay relay(long dropAt) throws Exception {
        TestPki.Issued ca = TestPki.ca("bench test CA");
        TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        return TlsRelay.start(TestPki.localhost(TestPki.ec(), ca), plain.localAddress(), dropAt);
    }

    @Test
    void tcpBulkAndConnectOverTlsThroughARelayCheckEveryByte() throws Exception {
        try (TlsRelay relay = relay(-1)) {
            String ca = dir.resolve("ca.pem").toString();
            Path tcp = json();
            BenchRun run = BenchRun.of("bench", "tcp", "localhost", relay.port(), "--tls", "--ca", ca, "--connections", 4,
                    "--depth", 8, "--size", 300, "--utf8", "--threads", 2, "--duration", "1s", "--warmup", "100ms",
                    "--json", tcp).exits(Main.OK);
            assertThat(BenchRun.figure(tcp, "replies")).isPositive();
            assertThat(BenchRun.figure(tcp, "verified")).isEqualTo(BenchRun.figure(tcp, "sent"));
            assertThat(BenchRun.figure(tcp, "connections_opened")).isEqualTo(4);
            assertThat(Files.readString(tcp)).containsPattern(
                    "\"tls\": \\{\\s+\"protocol\": \"TLSv1\\.3\",\\s+\"cipher\": \"TLS_\\w+\",\\s+\"verified\": true");
            assertThat(run.stdout()).containsPattern("  tls +TLSv1\\.3 TLS_\\w+ \\(certificate verified\\)");

            // Bulk: records cut by the network, writes the socket takes in part, 5 MB checked.
            Path bulk = json();
            BenchRun.of("bench", "bulk", "localhost", relay.port(), "--tls", "--ca", ca, "--megabytes", 5,
                    "--line", 1000, "--utf8", "--json", bulk).exits(Main.OK);
            assertThat(BenchRun.figure(bulk, "replies")).isEqualTo(5000);
            assertThat(BenchRun.figure(bulk, "reply_bytes")).isEqualTo(5_000_000);
            assertThat(Files.readString(bulk)).contains("\"protocol\": \"TLSv1.3\"");

            // Connect: a full handshake per exchange, counted as such.
            Path connect = json();
            BenchRun connecting = BenchRun.of("bench", "connect", "localhost", relay.port(), "--tls", "--ca", ca,
                    "--concurrency", 2, "--duration", "500ms", "--warmup", "0s", "--json", connect).exits(Main.OK);
            assertThat(BenchRun.figure(connect, "handshakes")).isPositive().isEqualTo(BenchRun.figure(connect, "connects"));
            assertThat(BenchRun.figure(connect, "handshakes_per_s")).isPositive();
            assertThat(BenchRun.figure(connect, "replies")).isPositive();
            assertThat(connecting.stdout()).contains("a full TLS handshake each");
        }
    }

    @Test
    void aRelayThatDropsAReplyByteIsCaughtThroughTls() throws Exception {
        try (TlsRelay relay = relay(100)) {
            String ca = dir.resolve("ca.pem").toString();
            Path tcp = json();
            BenchRun run = BenchRun.of("bench", "tcp", "localhost", relay.port(), "--tls", "--ca", ca, "--connections", 1,
                    "--depth", 4, "--size", 30, "--duration", "300ms", "--warmup", "0s", "--json", tcp).exits(Main.FAILURE);
            assertThat(BenchRun.figure(tcp, "mismatches")).isEqualTo(1);
            assertThat(run.stdout()).contains("FAILED", "mismatched replies");

            Path bulk = json();
            BenchRun.of("bench", "bulk", "localhost", relay.port(), "--tls", "--ca", ca, "--megabytes", 1, "--line", 1000,
                    "--json", bulk).exits(Main.FAILURE);
            assertThat(BenchRun.figure(bulk, "mismatches")).isEqualTo(1);
        }
    }

    @Test
    void againstSocatWithOpensslCertificatesTcpBulkAndConnectPass() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genrsa", "-traditional", "-out", "key.pem", "2048");
        openssl.selfSigned("key.pem", "cert.pem", "localhost");
        String ca = dir.resolve("cert.pem").toString();
        try (SocatTlsServer server = SocatTlsServer.start(dir, dir.resolve("cert.pem"), dir.resolve("key.pem"), null)) {
            // tr uppercases a-z only: --ascii; each connection is a process of socat's, so few of them.
            Path tcp = json();
            BenchRun.of("bench", "tcp", "127.0.0.1", server.port(), "--tls", "--ca", ca, "--ascii", "--connections", 2,
                    "--depth", 4, "--duration", "500ms", "--warmup", "0s", "--json", tcp).exits(Main.OK);
            assertThat(BenchRun.figure(tcp, "replies")).isPositive();
            assertThat(Files.readString(tcp)).containsPattern("\"tls\": \\{\\s+\"protocol\": \"TLSv1\\.3\"");

            Path bulk = json();
            BenchRun.of("bench", "bulk", "localhost", server.port(), "--tls", "--ca", ca, "--ascii", "--megabytes", 1,
                    "--line", 1000, "--json", bulk).exits(Main.OK);
            assertThat(BenchRun.figure(bulk, "reply_bytes")).isEqualTo(1_000_000);

            Path connect = json();
            BenchRun.of("bench", "connect", "localhost", server.port(), "--tls", "--ca", ca, "--ascii",
                    "--duration", "500ms", "--warmup", "0s", "--json", connect).exits(Main.OK);
            assertThat(BenchRun.figure(connect, "handshakes")).isPositive();
        }
    }

    @Test
    void untrustedAndWrongHostCertificatesAreOneLineAndExitOne() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        openssl.selfSignedOnlyFor("key.pem", "cert.pem", "upcase.example");
        Path cert = dir.resolve("cert.pem");
        try (SocatTlsServer server = SocatTlsServer.start(dir, cert, dir.resolve("key.pem"), null)) {
            String address = "localhost:" + server.port();
            BenchRun untrusted = BenchRun.of("bench", "tcp", "localhost", server.port(), "--tls", "--connections", 2,
                    "--duration", "200ms", "--warmup", "0s").exits(Main.FAILURE);
            assertThat(untrusted.stdout()).contains("  2 x tls: certificate for " + address
                    + " is not trusted (CN=upcase.example, issued by CN=upcase.example, not signed by a CA in the JDK's"
                    + " trust store; use --ca FILE to trust its CA, --insecure to skip checks)\n");
            assertThat(untrusted.stdout()).contains("connections      0 of 2 opened", "tls              no handshake finished");

            BenchRun wrongHost = BenchRun.of("bench", "connect", "localhost", server.port(), "--tls", "--ca", cert,
                    "--duration", "200ms", "--warmup", "0s").exits(Main.FAILURE);
            assertThat(wrongHost.stdout()).containsPattern("  \\d+ x tls: certificate for " + address
                    + " is not for localhost \\(CN=upcase.example, names DNS:upcase.example\\)\n");
            assertThat(wrongHost.stdout()).doesNotContain("Exception");

            // The right name, or no checks: the same server passes.
            BenchRun.of("bench", "bulk", "localhost", server.port(), "--tls", "--ca", cert, "--server-name",
                    "upcase.example", "--ascii", "--megabytes", 1).exits(Main.OK);
            BenchRun insecure = BenchRun.of("bench", "bulk", "localhost", server.port(), "--tls", "--insecure", "--ascii",
                    "--megabytes", 1).exits(Main.OK);
            assertThat(insecure.stdout()).contains("(--insecure: certificate not verified)");
        }
    }

    @Test
    void tlsOptionsWithoutTlsAreUsageErrorsAndAMissingCaFileIsOneLine() {
        BenchRun usage = BenchRun.of("bench", "tcp", "localhost", 1, "--insecure").exits(Main.USAGE);
        assertThat(usage.stderr()).startsWith("upcase: --ca, --insecure, --server-name, --cert and --key need --tls");
        Path missing = dir.resolve("nope.pem");
        BenchRun noFile = BenchRun.of("bench", "connect", "localhost", plain.localAddress().getPort(), "--tls", "--ca",
                missing).exits(Main.FAILURE);
        assertThat(noFile.stderr()).isEqualTo("upcase: tls: CA file " + missing + " does not exist" + System.lineSeparator());
    }
}
