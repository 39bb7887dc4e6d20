package upcase.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.bench.BenchRun;
import upcase.cli.Main;
import upcase.support.Openssl;
import upcase.support.SocatTlsServer;
import upcase.support.TestPki;
import upcase.support.Tool;
import upcase.support.TlsRelay;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;

/**
 * {@code probe --tcp H:P --tls}: the whole TCP check list over TLS, after a first check that
 * reports the handshake; against the JDK's TLS relaying to a plain upcase server (every check
 * passes) and socat with certificates from {@code openssl req} (refusals are one line).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbeTlsTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;

    @Test
    void everyTcpCheckPassesOverTlsAndTheHandshakeIsReportedFirst() throws Exception {
        TestPki.Issued ca = TestPki.ca("probe test CA");
        Path caFile = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        Path json = dir.resolve("probe.json");
        try (TcpServer plain = TcpServer.start(TcpServerConfig.defaults(LOOPBACK));
                TlsRelay relay = TlsRelay.start(TestPki.localhost(TestPki.ec(), ca), plain.localAddress(), -1)) {
            BenchRun run = BenchRun.of("probe", "--tcp", "localhost:" + relay.port(), "--tls", "--ca", caFile,
                    "--json", json).exits(Main.OK);
            assertThat(run.stdout()).contains("tcp localhost:" + relay.port() + " over TLS");
            assertThat(run.stdout().lines().filter(l -> l.startsWith("  pass")).findFirst().orElseThrow())
                    .contains("tcp.textbook.tls-handshake");
            assertThat(run.stdout()).containsPattern("note +TLSv1\\.3, TLS_\\w+, certificate CN=localhost\n");
            assertThat(run.stdout()).contains("tcp.full.half-close", "tcp.full.split-writes", "tcp.full.second-client")
                    .doesNotContain("FAIL");
            assertThat(run.stdout()).contains((Checks.at(Level.FULL).stream().filter(c -> c.transport() == Transport.TCP).count() + 1)
                    + " passed, 0 failed");
            assertThat(Files.readString(json)).contains("\"id\": \"tcp.textbook.tls-handshake\"",
                    "\"diagnosis\": \"TLSv1.3, TLS_");
        }
    }

    @Test
    void anUntrustedOrWrongHostCertificateFailsTheHandshakeCheckInOneLine() throws Exception {
        Openssl openssl = Openssl.in(dir);
        openssl.run("genrsa", "-traditional", "-out", "key.pem", "2048");
        openssl.selfSignedOnlyFor("key.pem", "cert.pem", "upcase.example");
        Path cert = dir.resolve("cert.pem");
        try (SocatTlsServer server = SocatTlsServer.start(dir, cert, dir.resolve("key.pem"), null)) {
            String address = "localhost:" + server.port();
            BenchRun untrusted = BenchRun.of("probe", "--tcp", address, "--tls", "--level", "textbook").exits(Main.FAILURE);
            assertThat(untrusted.stdout()).contains("  FAIL  tcp.textbook.tls-handshake ",
                    "        fault     tls: certificate for " + address + " is not trusted (CN=upcase.example, issued by"
                            + " CN=upcase.example, not signed by a CA in the JDK's trust store; use --ca FILE to trust its"
                            + " CA, --insecure to skip checks)\n");
            assertThat(untrusted.stdout()).doesNotContain("Exception");

            BenchRun wrongHost = BenchRun.of("probe", "--tcp", address, "--tls", "--ca", cert, "--level", "textbook")
                    .exits(Main.FAILURE);
            assertThat(wrongHost.stdout()).contains("        fault     tls: certificate for " + address
                    + " is not for localhost (CN=upcase.example, names DNS:upcase.example)\n");

            // The name it has: socat and tr pass the textbook checks (ASCII lines) over TLS.
            BenchRun named = BenchRun.of("probe", "--tcp", address, "--tls", "--ca", cert, "--server-name",
                    "upcase.example", "--level", "textbook").exits(Main.OK);
            assertThat(named.stdout()).contains("3 passed, 0 failed", "certificate CN=upcase.example");
        }
    }

    @Test
    void gradingPassesTlsOnToTheProbeOfTheProgramItStarts() throws Exception {
        Tool.require("setsid", "util-linux");
        Path socat = Tool.require("socat", "socat");
        Openssl openssl = Openssl.in(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        openssl.selfSigned("key.pem", "cert.pem", "localhost"); // names IP:127.0.0.1, where the grader probes
        Path cert = dir.resolve("cert.pem");
        // A "submission" that is socat and tr: the grader stops its whole process group, forks included.
        String program = socat + " OPENSSL-LISTEN:{tcp},bind=127.0.0.1,reuseaddr,fork,cert=" + cert + ",key="
                + dir.resolve("key.pem") + ",verify=0 SYSTEM:'stdbuf -oL tr a-z A-Z'";
        BenchRun graded = BenchRun.of("probe", "--run", program, "--tls", "--ca", cert, "--level", "textbook")
                .exits(Main.OK);
        assertThat(graded.stdout()).contains("tcp 127.0.0.1:", " over TLS", "pass  tcp.textbook.tls-handshake",
                "3 passed, 0 failed");
    }

    @Test
    void tlsNeedsATcpServerAndAMissingCaFileIsOneLine() {
        BenchRun udpOnly = BenchRun.of("probe", "--udp", "localhost:9876", "--tls").exits(Main.USAGE);
        assertThat(udpOnly.stderr()).startsWith("upcase: --tls is for the TCP server: give --tcp HOST:PORT");
        Path missing = dir.resolve("nope.pem");
        BenchRun noFile = BenchRun.of("probe", "--tcp", "localhost:6789", "--tls", "--ca", missing).exits(Main.FAILURE);
        assertThat(noFile.stderr()).isEqualTo("upcase: tls: CA file " + missing + " does not exist" + System.lineSeparator());
    }
}
