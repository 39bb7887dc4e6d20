package upcase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.support.Openssl;
import upcase.support.Tool;
import upcase.support.UpcaseProcess;

/**
 * {@code tcp-server --tls} and {@code server --tls-port} as processes, with independent TLS
 * peers: {@code openssl s_client} and {@code ncat --ssl}, and keys and certificates made by
 * {@code openssl} as operators make them. Skips where openssl or ncat is missing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsServerProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----",
            Pattern.DOTALL);

    @TempDir
    Path dir;

    /** A key and its self-signed certificate for localhost, in the format named. */
    private void keyPair(Openssl openssl, String format, String keyFile, String certFile, String commonName)
            throws IOException, InterruptedException {
        switch (format) {
            case "rsa-pkcs8" -> openssl.run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", keyFile);
            case "rsa-pkcs1" -> {
                openssl.run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pkcs8.pem");
                openssl.run("rsa", "-in", "pkcs8.pem", "-traditional", "-out", keyFile);
            }
            case "ec-pkcs8" -> openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", keyFile);
            case "ec-sec1" -> {
                openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "pkcs8.pem");
                openssl.run("ec", "-in", "pkcs8.pem", "-out", keyFile);
            }
            default -> throw new IllegalArgumentException(format);
        }
        openssl.selfSigned(keyFile, certFile, commonName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs8", "rsa-pkcs1", "ec-pkcs8", "ec-sec1"})
    void opensslClientsSpeakTls13And12AndTls11IsRefused(String format) throws Exception {
        Openssl openssl = Openssl.in(dir);
        keyPair(openssl, format, "key.pem", "cert.pem", "localhost");
        String header = Files.readString(dir.resolve("key.pem")).lines().findFirst().orElseThrow();
        assertThat(header).contains(format.endsWith("pkcs8") ? "BEGIN PRIVATE KEY"
                : format.startsWith("rsa") ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY");
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--tls", "--port", "0", "--bind", "127.0.0.1",
                "--tls-cert", dir.resolve("cert.pem").toString(), "--tls-key", dir.resolve("key.pem").toString())) {
            int port = server.awaitListening("tls");
            assertThat(sClient(port, "-tls1_3", "tls one three\nwörld\n", 2)).containsExactly("TLS ONE THREE", "WÖRLD");
            assertThat(sClient(port, "-tls1_2", "tls one two\n", 1)).containsExactly("TLS ONE TWO");

            Peer old = Peer.run(dir, "", List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_1",
                    "-CAfile", dir.resolve("cert.pem").toString()));
            assertThat(old.exitCode()).isNotZero();
            assertThat(old.output()).doesNotContain("HELLO");
            assertThat(server.awaitLine("TLS handshake failed", WAIT)).contains("refused a connection from 127.0.0.1");

            server.terminate();
            assertThat(server.awaitExit(WAIT)).isZero();
            assertThat(server.stderr().getLast()).contains("tcp 2 connections (1 refused), 3 lines");
        }
    }

    /** {@code openssl s_client -quiet} (which keeps the connection open at the end of its input): the first replies. */
    private List<String> sClient(int port, String version, String input, int replies) throws Exception {
        Path program = Tool.require("openssl", "openssl");
        return LineClient.replies(List.of(program.toString(), "s_client", "-quiet", version, "-connect", "127.0.0.1:" + port,
                "-CAfile", dir.resolve("cert.pem").toString(), "-verify_return_error"), input, replies);
    }

    @Test
    void serverWithATlsPortBesideThePlainOneServesNcatAndUpcasesOwnClient() throws Exception {
        Path ncat = Tool.require("ncat", "ncat");
        Openssl openssl = Openssl.in(dir);
        keyPair(openssl, "ec-pkcs8", "key.pem", "cert.pem", "localhost");
        // The files through the environment, as a container or a systemd unit passes them.
        try (UpcaseProcess server = UpcaseProcess.start(Map.of("UPCASE_TLS_CERT", dir.resolve("cert.pem").toString(),
                        "UPCASE_TLS_KEY", dir.resolve("key.pem").toString(), "UPCASE_TLS_PORT", "0"),
                "server", "--tcp-port", "0", "--udp-port", "0", "--bind", "127.0.0.1")) {
            int plain = server.awaitListening("tcp");
            int tls = server.awaitListening("tls");
            assertThat(tls).isNotEqualTo(plain);

            Peer viaNcat = Peer.run(dir, "from ncat\nsecond line\n", List.of(ncat.toString(), "--ssl",
                    "--ssl-verify", "--ssl-trustfile", dir.resolve("cert.pem").toString(), "localhost",
                    String.valueOf(tls)));
            assertThat(viaNcat.exitCode()).as(viaNcat.output()).isZero();
            assertThat(viaNcat.output()).isEqualTo("FROM NCAT\nSECOND LINE\n");

            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), plain)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("plain still\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("PLAIN STILL\n");
            }

            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), "upcase.cli.Main", "tcp-client", "localhost",
                    String.valueOf(tls), "--tls", "--ca", dir.resolve("cert.pem").toString()));
            Peer own = Peer.run(dir, "our own client\n", command);
            assertThat(own.exitCode()).as(own.output()).isZero();
            assertThat(own.output()).isEqualTo("OUR OWN CLIENT\n");
            server.terminate();
            assertThat(server.awaitExit(WAIT)).isZero();
        }
    }

    @Test
    void sighupServesARenewedCertificateAndABrokenFileKeepsTheOldOne() throws Exception {
        Openssl openssl = Openssl.in(dir);
        keyPair(openssl, "ec-pkcs8", "key.pem", "cert.pem", "first.example");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--tls", "--port", "0", "--bind", "127.0.0.1",
                "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            int port = server.awaitListening("tls");
            X509Certificate first = served(port);
            assertThat(first.getSubjectX500Principal().getName()).isEqualTo("CN=first.example");

            // Renewed as the docs say: new files under new names, renamed into place, the key first.
            keyPair(openssl, "rsa-pkcs1", "new-key.pem", "new-cert.pem", "second.example");
            Files.move(dir.resolve("new-key.pem"), key, StandardCopyOption.REPLACE_EXISTING);
            Files.move(dir.resolve("new-cert.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
            hangUp(server);
            assertThat(server.awaitLine("tls: reloaded", WAIT)).contains("CN=second.example");
            X509Certificate second = served(port);
            assertThat(second.getSubjectX500Principal().getName()).isEqualTo("CN=second.example");
            assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());

            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
            hangUp(server);
            String failed = server.awaitLine("still serving", WAIT);
            assertThat(failed).startsWith("upcase: ").contains(key.toString()).contains("CN=second.example");
            BigInteger kept = served(port).getSerialNumber();
            assertThat(kept).isEqualTo(second.getSerialNumber());

            server.terminate();
            assertThat(server.awaitExit(WAIT)).as("SIGHUP did not end it").isZero();
        }
    }

    private static void hangUp(UpcaseProcess server) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(server.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** The certificate the server presents to a new {@code openssl s_client}. */
    private X509Certificate served(int port) throws Exception {
        Path program = Tool.require("openssl", "openssl");
        Peer peer = Peer.run(dir, "", List.of(program.toString(), "s_client", "-connect", "127.0.0.1:" + port));
        Matcher m = PEM.matcher(peer.output());
        assertThat(m.find()).as(peer.output()).isTrue();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aClientCertificateFromTheRightCaIsAcceptedAndNoneIsRefused() throws Exception {
        Openssl openssl = Openssl.in(dir);
        keyPair(openssl, "ec-pkcs8", "key.pem", "cert.pem", "localhost");
        keyPair(openssl, "ec-pkcs8", "ca-key.pem", "ca.pem", "client CA");
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "client-key.pem");
        openssl.run("req", "-new", "-key", "client-key.pem", "-subj", "/CN=a client", "-out", "client.csr");
        openssl.run("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-days", "1",
                "-out", "client.pem");
        try (UpcaseProcess server = UpcaseProcess.start("tcp-server", "--tls", "--port", "0", "--bind", "127.0.0.1",
                "--tls-cert", dir.resolve("cert.pem").toString(), "--tls-key", dir.resolve("key.pem").toString(),
                "--tls-client-ca", dir.resolve("ca.pem").toString())) {
            int port = server.awaitListening("tls");
            Path program = Tool.require("openssl", "openssl");
            assertThat(LineClient.replies(List.of(program.toString(), "s_client", "-quiet", "-connect",
                    "127.0.0.1:" + port, "-cert", dir.resolve("client.pem").toString(), "-key",
                    dir.resolve("client-key.pem").toString()), "with a certificate\n", 1))
                    .containsExactly("WITH A CERTIFICATE");

            Peer without = Peer.run(dir, "no certificate\n", List.of(program.toString(), "s_client", "-ign_eof",
                    "-connect", "127.0.0.1:" + port));
            assertThat(without.output()).doesNotContain("NO CERTIFICATE").containsIgnoringCase("alert");
            assertThat(server.awaitLine("TLS handshake failed", WAIT)).contains("certificate");

            server.terminate();
            assertThat(server.awaitExit(WAIT)).isZero();
            assertThat(server.stderr().getLast()).contains("tcp 1 connections (1 refused)");
        }
    }

    @Test
    void unusableFilesStopTheStartWithOneLine() throws Exception {
        Openssl openssl = Openssl.in(dir);
        keyPair(openssl, "ec-pkcs8", "key.pem", "cert.pem", "localhost");
        keyPair(openssl, "rsa-pkcs8", "other-key.pem", "other-cert.pem", "localhost");
        String cert = dir.resolve("cert.pem").toString();
        record Case(int exit, String expected, List<String> args) {}
        List<Case> cases = List.of(
                new Case(1, dir.resolve("missing.pem").toString(),
                        List.of("--tls-cert", dir.resolve("missing.pem").toString(), "--tls-key", dir.resolve("key.pem").toString())),
                new Case(1, "does not match", List.of("--tls-cert", cert, "--tls-key", dir.resolve("other-key.pem").toString())),
                new Case(2, "--tls needs --tls-cert FILE and --tls-key FILE", List.of("--tls-cert", cert)));
        for (Case c : cases) {
            List<String> args = new ArrayList<>(List.of("tcp-server", "--tls", "--port", "0", "--bind", "127.0.0.1"));
            args.addAll(c.args());
            try (UpcaseProcess server = UpcaseProcess.start(args.toArray(String[]::new))) {
                assertThat(server.awaitExit(WAIT)).as(c.expected()).isEqualTo(c.exit());
                List<String> stderr = server.stderr();
                assertThat(stderr).as("one line").hasSize(1);
                assertThat(stderr.getFirst()).startsWith("upcase: ").contains(c.expected()).doesNotContain("Exception");
            }
        }
    }

    /** A client program run to its end: its output (stdout and stderr) and exit code. */
    private record Peer(int exitCode, String output) {
        static Peer run(Path dir, String input, List<String> command) throws Exception {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running: " + command + "; " + output);
            }
            return new Peer(p.exitValue(), output);
        }
    }

    /** A client that keeps its connection open at the end of its input: read so many reply lines, then stop it. */
    private static final class LineClient {
        static List<String> replies(List<String> command, String input, int count) throws Exception {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
                List<String> lines = new ArrayList<>();
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while (lines.size() < count && (line = out.readLine()) != null) {
                    lines.add(line);
                }
                return lines;
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
