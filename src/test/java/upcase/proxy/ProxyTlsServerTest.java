package upcase.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.proxy.Headers.ascii;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.net.Engine;
import upcase.net.LogEvent;
import upcase.support.Eventually;
import upcase.support.NativeEngines;
import upcase.support.TestPki;
import upcase.tcp.Refusal;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.tls.ClientTls;
import upcase.tls.ClientTlsSettings;
import upcase.tls.ServerTlsSettings;

/**
 * A TLS listener behind a balancer that sends a PROXY header and passes TLS through (HAProxy's
 * {@code mode tcp} with {@code send-proxy-v2}): the header comes first, then the handshake, and
 * one --handshake-timeout covers both (docs/PROTOCOL.md §PROXY, §TLS).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"NIO", "EPOLL", "IO_URING"})
// Alone, in surefire's second execution (pom.xml): it reads the upcase.tcp logger's events (ServerEvents), which every server in this JVM logs to. @Isolated
// would do, but JUnit 5.14 refuses locks on the invocations of a @ParameterizedClass.
@Tag("alone")
class ProxyTlsServerTest {
    /** The engine under test: every test here runs on each one the host supports. */
    private final Engine engine;

    ProxyTlsServerTest(Engine engine) {
        NativeEngines.assumeEngine(engine.label());
        this.engine = engine;
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<TcpServer> servers = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private final ServerEvents events = new ServerEvents();
    private ServerTlsSettings files;
    private ClientTlsSettings trusting;

    @BeforeEach
    void pki() throws IOException {
        TestPki.Issued ca = TestPki.ca("upcase test CA");
        TestPki.Issued leaf = TestPki.localhost(TestPki.ec(), ca);
        files = new ServerTlsSettings(TestPki.writeCertificates(dir.resolve("cert.pem"), leaf.certificate()),
                TestPki.writeKey(dir.resolve("key.pem"), leaf.keys().getPrivate(), TestPki.KeyFormat.PKCS8));
        trusting = new ClientTlsSettings(TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate()),
                false, null, null, null);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        servers.forEach(TcpServer::close);
        events.close();
    }

    private TcpServer start(String trusted, Duration handshakeTimeout) throws IOException {
        TcpServer server = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))
                .withEngine(engine)
                .withEventLoops(2)
                .withHandshakeTimeout(handshakeTimeout)
                .withTls(new TcpServerConfig.TlsListener(files, null))
                .withProxy(ProxyPolicy.trusting(TrustedSources.parse(trusted))));
        servers.add(server);
        return server;
    }

    private Socket connect(TcpServer server) throws IOException {
        Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort());
        s.setSoTimeout((int) WAIT.toMillis());
        clients.add(s);
        return s;
    }

    private SSLSocket handshake(Socket plain, TcpServer server) throws IOException {
        SSLSocket tls = ClientTls.handshake(plain, "localhost", "localhost:" + server.localAddress().getPort(), trusting, WAIT);
        clients.add(tls);
        return tls;
    }

    private static String exchange(SSLSocket tls, String line) throws IOException {
        tls.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        tls.getOutputStream().flush();
        byte[] reply = tls.getInputStream().readNBytes(line.getBytes(StandardCharsets.UTF_8).length + 1);
        return new String(reply, StandardCharsets.UTF_8);
    }

    @Test
    void aTrustedBalancersHeaderComesBeforeTheHandshakeAndNamesTheClient() throws IOException {
        TcpServer server = start("127.0.0.1/32", WAIT);
        Socket plain = connect(server);
        plain.getOutputStream().write(ascii("PROXY TCP4 192.0.2.7 198.51.100.1 40001 6789\r\n"));
        SSLSocket tls = handshake(plain, server);

        assertThat(exchange(tls, "through the balancer, ünïcode")).isEqualTo("THROUGH THE BALANCER, ÜNÏCODE\n");
        Eventually.await("the handshake counted", WAIT, () -> server.stats().tlsHandshakes().count() == 1);
        assertThat(server.stats().accepted()).isEqualTo(1);
        assertThat(server.stats().refused()).isZero();
        LogEvent opened = events.named("connection_opened").getFirst();
        assertThat(ServerEvents.field(opened, "peer")).isEqualTo("192.0.2.7:40001");
        assertThat(ServerEvents.field(opened, "protocol")).isEqualTo("tls");
        assertThat((String) ServerEvents.field(opened, "proxy")).startsWith("127.0.0.1:");
    }

    @Test
    void aDirectClientFromAnUntrustedAddressHandshakesWithoutAHeader() throws IOException {
        TcpServer server = start("192.0.2.0/24", WAIT);
        SSLSocket tls = handshake(connect(server), server);

        assertThat(exchange(tls, "direct")).isEqualTo("DIRECT\n");
        LogEvent opened = events.named("connection_opened").getFirst();
        assertThat((String) ServerEvents.field(opened, "peer")).startsWith("127.0.0.1:");
        assertThat(ServerEvents.field(opened, "proxy")).isNull();
    }

    @Test
    void aHeaderWithoutAHandshakeRunsOutOfTheOneTimeout() throws IOException {
        TcpServer server = start("127.0.0.1/32", Duration.ofMillis(500));
        Socket plain = connect(server);
        plain.getOutputStream().write(ascii("PROXY TCP4 192.0.2.7 198.51.100.1 40001 6789\r\n"));

        assertThat(closedWithoutReply(plain.getInputStream())).isTrue();
        Eventually.await("the refusal counted", WAIT,
                () -> server.stats().refusals().get(Refusal.HANDSHAKE_TIMEOUT) == 1);
        LogEvent refused = events.named("refused").getFirst();
        assertThat((String) ServerEvents.field(refused, "detail")).startsWith("no TLS handshake within");
        assertThat(ServerEvents.field(refused, "peer")).isEqualTo("192.0.2.7:40001");
        assertThat(server.stats().accepted()).isZero();
    }

    @Test
    void aSilentDirectClientOwesOnlyTheHandshake() throws IOException {
        TcpServer server = start("192.0.2.0/24", Duration.ofMillis(500));
        Socket plain = connect(server);

        assertThat(closedWithoutReply(plain.getInputStream())).isTrue();
        Eventually.await("the refusal counted", WAIT,
                () -> server.stats().refusals().get(Refusal.HANDSHAKE_TIMEOUT) == 1);
        LogEvent refused = events.named("refused").getFirst();
        assertThat((String) ServerEvents.field(refused, "detail")).startsWith("no TLS handshake within");
    }

    @Test
    void plainTextAfterTheHeaderIsATlsRefusal() throws IOException {
        TcpServer server = start("127.0.0.1/32", WAIT);
        Socket plain = connect(server);
        plain.getOutputStream().write(ascii("PROXY TCP4 192.0.2.7 198.51.100.1 40001 6789\r\nhello\n"));

        assertThat(closedWithoutReply(plain.getInputStream())).isTrue();
        Eventually.await("the refusal counted", WAIT, () -> server.stats().refusals().get(Refusal.TLS_HANDSHAKE) == 1);
        assertThat(server.stats().accepted()).isZero();
    }

    /** Whether the server ended the connection without a byte of plain text: TLS alerts are binary records. */
    private static boolean closedWithoutReply(InputStream in) throws IOException {
        try {
            byte[] rest = in.readAllBytes();
            return rest.length == 0 || rest[0] == 0x15; // nothing, or an alert record
        } catch (SocketException reset) {
            return true;
        }
    }
}
