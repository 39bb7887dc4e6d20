package upcase.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.upper;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.support.TestPki;
import upcase.tls.ClientTls;
import upcase.tls.ClientTlsSettings;
import upcase.tls.ServerTlsSettings;

/**
 * The TCP server's TLS listener over real loopback sockets, with the JDK's TLS client
 * (upcase.tls.ClientTls) as the peer; openssl and ncat as peers are in
 * upcase.cli.TlsServerProcessTest. Certificates by BouncyCastle (TestPki), so nothing skips.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
// A handshake timeout against a trickle at a fixed pace: with another class beside it on a loaded
// machine, a trickled byte could be left unread when the server closes, and the close became a
// reset (seen once in three full runs with two classes at once): no other test class runs meanwhile.
@Isolated
class TlsServerTest {
    /** The engine under test; the Native subclass runs every test again on epoll. */
    Engine engine() {
        return Engine.NIO;
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<TcpServer> servers = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private TestPki.Issued ca;
    private Path cert;
    private Path key;
    private Path caFile;
    /** The TCP socket under the last TLS socket: closing it ends a write blocked in SSLSocket, which close() would wait for. */
    private Socket lastPlain;

    @BeforeEach
    void pki() throws IOException {
        ca = TestPki.ca("upcase test CA");
        TestPki.Issued leaf = TestPki.localhost(TestPki.ec(), ca);
        cert = TestPki.writeCertificates(dir.resolve("cert.pem"), leaf.certificate());
        key = TestPki.writeKey(dir.resolve("key.pem"), leaf.keys().getPrivate(), TestPki.KeyFormat.TRADITIONAL);
        caFile = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        servers.forEach(TcpServer::close);
    }

    private TcpServer start(TcpServerConfig config) throws IOException {
        TcpServer server = TcpServer.start(config.withEngine(engine()));
        servers.add(server);
        return server;
    }

    private static TcpServerConfig config() {
        return TcpServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** {@code tcp-server --tls}: the one listener speaks TLS. */
    private TcpServer startTls(ServerTlsSettings files) throws IOException {
        return start(config().withTls(new TcpServerConfig.TlsListener(files, null)));
    }

    private TcpServer startTls() throws IOException {
        return startTls(new ServerTlsSettings(cert, key));
    }

    private SSLSocket connect(TcpServer server, ClientTlsSettings settings) throws IOException {
        Socket plain = new Socket();
        clients.add(plain);
        plain.connect(server.tlsAddress(), (int) TIMEOUT.toMillis());
        plain.setSoTimeout((int) TIMEOUT.toMillis());
        lastPlain = plain;
        SSLSocket socket = ClientTls.handshake(plain, "localhost", "localhost:" + server.tlsAddress().getPort(),
                settings, TIMEOUT);
        clients.add(socket);
        return socket;
    }

    private SSLSocket connect(TcpServer server) throws IOException {
        return connect(server, trusting(caFile));
    }

    private static ClientTlsSettings trusting(Path caFile) {
        return new ClientTlsSettings(caFile, false, null, null, null);
    }

    private Socket connectPlain(InetSocketAddress address) throws IOException {
        Socket s = new Socket(address.getAddress(), address.getPort());
        s.setSoTimeout((int) TIMEOUT.toMillis());
        clients.add(s);
        return s;
    }

    @Test
    void answersPipelinedLinesAndUtf8SplitAcrossRecords() throws IOException {
        TcpServer server = startTls();
        SSLSocket s = connect(server);
        OutputStream out = s.getOutputStream();
        byte[] word = utf8("grün, ärger\n");
        // Each flush is one TLS record: the split falls inside ü's two bytes.
        out.write(word, 0, 3);
        out.flush();
        out.write(word, 3, word.length - 3);
        out.write(utf8("one\ntwo\nthree\n"));
        out.flush();
        byte[] expected = utf8("GRÜN, ÄRGER\nONE\nTWO\nTHREE\n");
        assertThat(utf8(readExactly(s.getInputStream(), expected.length))).isEqualTo(utf8(expected));
        assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
        Eventually.await("the handshake counted", TIMEOUT, () -> server.stats().tlsHandshakes().count() == 1);
        assertThat(server.stats().accepted()).isEqualTo(1);
    }

    @Test
    void tlsPortBesideThePlainOneSharesTheCounters() throws IOException {
        TcpServer server = start(config().withTls(new TcpServerConfig.TlsListener(new ServerTlsSettings(cert, key),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))));
        assertThat(server.plainAddress().getPort()).isNotEqualTo(server.tlsAddress().getPort());
        Socket plain = connectPlain(server.plainAddress());
        plain.getOutputStream().write(utf8("plain\n"));
        assertThat(utf8(readExactly(plain.getInputStream(), 6))).isEqualTo("PLAIN\n");
        SSLSocket tls = connect(server);
        tls.getOutputStream().write(utf8("secret\n"));
        assertThat(utf8(readExactly(tls.getInputStream(), 7))).isEqualTo("SECRET\n");
        assertThat(server.stats().accepted()).isEqualTo(2);
        assertThat(server.stats().open()).isEqualTo(2);
    }

    @Test
    void plaintextAndHttpOnTheTlsPortAreRefusedWhileTlsClientsGoOn() throws IOException {
        TcpServer server = startTls();
        SSLSocket good = connect(server);
        for (String garbage : List.of("hello there\n", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
            Socket bad = connectPlain(server.tlsAddress());
            bad.getOutputStream().write(utf8(garbage));
            byte[] answer = readUntilClosed(bad); // an alert at most, then the close
            assertThat(utf8(answer)).doesNotContain("HELLO", "GET");
            good.getOutputStream().write(utf8("still here\n"));
            assertThat(utf8(readExactly(good.getInputStream(), 11))).isEqualTo("STILL HERE\n");
        }
        Socket random = connectPlain(server.tlsAddress());
        byte[] noise = new byte[4096];
        new java.util.Random(11).nextBytes(noise);
        noise[0] = 0x16; // a handshake record's type, so the engine reads on into the noise
        random.getOutputStream().write(noise);
        readUntilClosed(random);
        Eventually.await("three refusals", TIMEOUT, () -> server.stats().refusals().get(Refusal.TLS_HANDSHAKE) == 3);
        assertThat(server.stats().accepted()).isEqualTo(1);
        assertThat(server.stats().open()).isEqualTo(1);
    }

    @Test
    void aHandshakeTricklingInSlowerThanTheTimeoutIsClosed() throws Exception {
        TcpServer server = start(config().withHandshakeTimeout(Duration.ofMillis(700))
                .withTls(new TcpServerConfig.TlsListener(new ServerTlsSettings(cert, key), null)));
        Socket slow = connectPlain(server.tlsAddress());
        long started = System.nanoTime();
        // A handshake record header announcing 512 bytes, then one byte at a time: every byte
        // is activity, none finishes the record.
        OutputStream out = slow.getOutputStream();
        out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
        CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    out.write(0x01);
                    Thread.sleep(50); // the pace of the trickle, not a wait for the server
                }
            } catch (IOException | InterruptedException e) {
                // closed by the server: the point
            }
        });
        assertThat(slow.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(millis).isBetween(600L, 4_000L);
        Eventually.await("counted", TIMEOUT, () -> server.stats().refusals().get(Refusal.HANDSHAKE_TIMEOUT) == 1);
        trickle.cancel(true);
    }

    @Test
    void halfCloseWithCloseNotifyGetsEveryReply() throws IOException {
        TcpServer server = startTls();
        SSLSocket s = connect(server);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            lines.append("line ").append(i).append('\n');
        }
        s.getOutputStream().write(utf8(lines.toString()));
        s.getOutputStream().flush();
        s.shutdownOutput(); // TLS 1.3: close_notify, and the other direction stays open
        assertThat(utf8(readAll(s.getInputStream()))).isEqualTo(lines.toString().toUpperCase(java.util.Locale.ROOT));
        Eventually.await("closed as by the client", TIMEOUT, () -> server.stats().closes().get(CloseReason.CLIENT) == 1);
    }

    @Test
    void aMebibyteToAClientThatReadsSlowlyArrivesWhole() throws Exception {
        TcpServer server = startTls();
        SSLSocket s = connect(server);
        byte[] payload = new byte[1 << 20];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i % 61 == 60 ? '\n' : 'a' + i % 26);
        }
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(payload);
                s.getOutputStream().flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        InputStream in = s.getInputStream();
        byte[] received = new byte[payload.length];
        int n = 0;
        byte[] chunk = new byte[8192];
        while (n < received.length) {
            int r = in.read(chunk, 0, Math.min(chunk.length, received.length - n));
            assertThat(r).isPositive();
            System.arraycopy(chunk, 0, received, n, r);
            n += r;
            if (n % (128 * 1024) < r) {
                Thread.sleep(20); // a slow reader: the server's writes fill the socket and wait
            }
        }
        writer.get(30, TimeUnit.SECONDS);
        assertThat(Arrays.equals(received, upper(new String(payload, java.nio.charset.StandardCharsets.US_ASCII))))
                .as("every byte, uppercased, in order").isTrue();
        assertThat(server.stats().bytesOut()).isEqualTo(payload.length);
    }

    @Test
    void aClientThatSendsButNeverReadsIsNoLongerRead() throws Exception {
        TcpServer server = startTls();
        SSLSocket s = connect(server);
        Socket plain = lastPlain;
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 1024; i++) { // 64 MiB, far more than the socket buffers hold
                    s.getOutputStream().write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        });
        long[] last = {-1, System.nanoTime()};
        Eventually.await("the writer blocked: the server stopped reading", Duration.ofSeconds(30), () -> {
            long now = written.get();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - last[1] > TimeUnit.MILLISECONDS.toNanos(500);
        });
        assertThat(writer).isNotDone();
        TcpStats stats = server.stats();
        // What the server read but has not encrypted yet: at most one read's replies (§TCP 7).
        assertThat(stats.bytesIn() - stats.bytesOut()).isLessThanOrEqualTo(3L * EventLoop.READ_SIZE + 3);
        assertThat(stats.bytesIn()).isLessThan(written.get() + 1).isLessThan(32L << 20);
        plain.close();
    }

    @Test
    void drainAnswersLinesInFlight() throws Exception {
        TcpServer server = startTls();
        SSLSocket s = connect(server);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            lines.append("in flight ").append(i).append('\n');
        }
        s.getOutputStream().write(utf8(lines.toString()));
        s.getOutputStream().flush();
        Eventually.await("the first bytes read", TIMEOUT, () -> server.stats().bytesIn() > 0);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        String replies = utf8(readAll(s.getInputStream())); // up to the server's close_notify and FIN
        closing.get(30, TimeUnit.SECONDS);
        String expected = lines.toString().toUpperCase(java.util.Locale.ROOT);
        assertThat(replies).isEqualTo(expected.substring(0, (int) server.stats().bytesIn()));
        assertThat(server.stats().bytesOut()).isEqualTo(server.stats().bytesIn());
    }

    @Test
    void aClientCertificateIsRequiredAndChecked() throws IOException {
        TestPki.Issued clientCa = TestPki.ca("client CA");
        Path clientCaFile = TestPki.writeCertificates(dir.resolve("client-ca.pem"), clientCa.certificate());
        TcpServer server = startTls(new ServerTlsSettings(cert, key, clientCaFile));

        TestPki.Issued good = TestPki.localhost(TestPki.ec(), clientCa);
        Path goodCert = TestPki.writeCertificates(dir.resolve("good.pem"), good.certificate());
        Path goodKey = TestPki.writeKey(dir.resolve("good-key.pem"), good.keys().getPrivate(), TestPki.KeyFormat.PKCS8);
        SSLSocket accepted = connect(server, new ClientTlsSettings(caFile, false, null, goodCert, goodKey));
        accepted.getOutputStream().write(utf8("mutual\n"));
        assertThat(utf8(readExactly(accepted.getInputStream(), 7))).isEqualTo("MUTUAL\n");

        assertThatThrownBy(() -> exchange(connect(server))).isInstanceOf(IOException.class);

        TestPki.Issued stranger = TestPki.localhost(TestPki.ec(), TestPki.ca("another CA"));
        Path strangerCert = TestPki.writeCertificates(dir.resolve("stranger.pem"), stranger.certificate());
        Path strangerKey = TestPki.writeKey(dir.resolve("stranger-key.pem"), stranger.keys().getPrivate(),
                TestPki.KeyFormat.PKCS8);
        assertThatThrownBy(() -> exchange(connect(server,
                new ClientTlsSettings(caFile, false, null, strangerCert, strangerKey)))).isInstanceOf(IOException.class);

        Eventually.await("two refusals", TIMEOUT, () -> server.stats().refusals().get(Refusal.TLS_HANDSHAKE) == 2);
        assertThat(server.stats().accepted()).isEqualTo(1);
    }

    /** TLS 1.3 ends the client's handshake before the server checks its certificate: the refusal shows on first use. */
    private static void exchange(SSLSocket s) throws IOException {
        s.getOutputStream().write(utf8("x\n"));
        s.getOutputStream().flush();
        if (s.getInputStream().read() < 0) {
            throw new IOException("closed");
        }
    }

    @Test
    void reloadServesTheNewCertificateToNewHandshakesAndKeepsTheOldOneOnABadFile() throws Exception {
        TcpServer server = startTls();
        SSLSocket before = connect(server);
        BigInteger first = serial(before);

        TestPki.Issued renewed = TestPki.localhost(TestPki.ec(), ca);
        Files.move(TestPki.writeKey(dir.resolve("new-key.pem"), renewed.keys().getPrivate(), TestPki.KeyFormat.PKCS8),
                key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(TestPki.writeCertificates(dir.resolve("new-cert.pem"), renewed.certificate()), cert,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(server.reloadTls().loaded()).isTrue();
        SSLSocket after = connect(server);
        assertThat(serial(after)).isEqualTo(renewed.certificate().getSerialNumber()).isNotEqualTo(first);
        before.getOutputStream().write(utf8("old\n"));
        assertThat(utf8(readExactly(before.getInputStream(), 4))).as("an open connection goes on").isEqualTo("OLD\n");

        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nbroken\n");
        var failed = server.reloadTls();
        assertThat(failed.loaded()).isFalse();
        assertThat(failed.message()).contains(cert.toString()).doesNotContain("\n");
        assertThat(serial(connect(server))).as("still the renewed pair").isEqualTo(renewed.certificate().getSerialNumber());
    }

    /** What the server sent before it closed; a reset (it closed with our bytes unread) ends it too. */
    private static byte[] readUntilClosed(Socket s) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = s.getInputStream().read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            // reset: closed all the same
        }
        return got.toByteArray();
    }

    private static BigInteger serial(SSLSocket s) throws IOException {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
}
