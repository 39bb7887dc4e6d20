package upcase.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.proxy.Headers.addresses;
import static upcase.proxy.Headers.ascii;
import static upcase.proxy.Headers.at;
import static upcase.proxy.Headers.concat;
import static upcase.proxy.Headers.tlv;
import static upcase.proxy.Headers.v2;
import static upcase.proxy.ProxyClients.exchange;
import static upcase.support.Lines.readAll;
import static upcase.support.Lines.readExactly;
import static upcase.support.Lines.upper;
import static upcase.support.Lines.utf8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.net.Engine;
import upcase.net.LogEvent;
import upcase.support.Eventually;
import upcase.support.NativeEngines;
import upcase.tcp.CloseReason;
import upcase.tcp.Refusal;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;

/**
 * The TCP server behind a PROXY protocol header written by hand (docs/PROTOCOL.md §PROXY): who
 * the server believes the client is, what it answers, and what it refuses and counts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {"NIO", "EPOLL", "IO_URING"})
// Alone, in surefire's second execution (pom.xml): it reads the upcase.tcp logger's events (ServerEvents), which every server in this JVM logs to. @Isolated
// would do, but JUnit 5.14 refuses locks on the invocations of a @ParameterizedClass.
@Tag("alone")
class ProxyProtocolServerTest {
    /** The engine under test: every test here runs on each one the host supports. */
    private final Engine engine;

    ProxyProtocolServerTest(Engine engine) {
        NativeEngines.assumeEngine(engine.label());
        this.engine = engine;
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetSocketAddress CLIENT4 = at("192.0.2.7", 40_001);
    private static final InetSocketAddress SERVICE4 = at("198.51.100.1", 6789);
    private static final InetSocketAddress CLIENT6 = at("2001:db8::7", 40_002);
    private static final InetSocketAddress SERVICE6 = at("2001:db8::1", 6789);

    private final List<TcpServer> servers = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private final ServerEvents events = new ServerEvents();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        servers.forEach(TcpServer::close);
        events.close();
    }

    /** A server on {@code address} that trusts {@code trusted}. */
    private TcpServer start(String address, String trusted, Duration handshakeTimeout) throws IOException {
        TcpServer server = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(InetAddress.ofLiteral(address), 0))
                .withEngine(engine)
                .withEventLoops(2)
                .withHandshakeTimeout(handshakeTimeout)
                .withProxy(ProxyPolicy.trusting(TrustedSources.parse(trusted))));
        servers.add(server);
        return server;
    }

    private TcpServer start(String trusted) throws IOException {
        return start("127.0.0.1", trusted, Duration.ofSeconds(10));
    }

    private Socket connect(TcpServer server) throws IOException {
        Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort());
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        clients.add(s);
        return s;
    }

    private static byte[] v1(String line) {
        return ascii(line + "\r\n");
    }

    private static byte[] v2Inet(InetSocketAddress source, InetSocketAddress destination, byte[] tlvs) {
        int family = source.getAddress().getAddress().length == 4 ? 0x11 : 0x21;
        return v2(0x21, family, concat(addresses(source, destination), tlvs));
    }

    /** Whether the server ended the connection: an end of stream or a reset, without a byte of reply. */
    private static boolean closedWithoutReply(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** The connection_opened event for the client {@code peer}; fails if there is none. */
    private LogEvent openedFor(String peer) {
        Eventually.await("connection_opened for " + peer, WAIT, () -> events.named("connection_opened").stream()
                .anyMatch(e -> peer.equals(ServerEvents.field(e, "peer"))));
        return events.named("connection_opened").stream()
                .filter(e -> peer.equals(ServerEvents.field(e, "peer"))).findFirst().orElseThrow();
    }

    private void awaitRefused(TcpServer server, Refusal why, long count) {
        Eventually.await(count + " refusals " + why, WAIT, () -> server.stats().refusals().get(why) == count);
    }

    // ---- trusted sources: the header's client is the peer ----

    @Test
    void v1Tcp4HeaderAndDataInOneWriteAnswersTheDataAndNamesTheHeadersClient() throws IOException {
        TcpServer server = start("127.0.0.1/32");
        Socket s = connect(server);
        byte[] reply = exchange(s, concat(v1("PROXY TCP4 192.0.2.7 198.51.100.1 40001 6789"), utf8("hello\nworld\n")));
        assertThat(reply).isEqualTo(utf8("HELLO\nWORLD\n"));
        LogEvent opened = openedFor("192.0.2.7:40001");
        assertThat(ServerEvents.field(opened, "proxy")).isEqualTo("127.0.0.1:" + s.getLocalPort());
        assertThat(opened.message()).isEqualTo("connection from 192.0.2.7:40001 via 127.0.0.1:" + s.getLocalPort() + " opened");
        Eventually.await("the close event", WAIT, () -> !events.named("connection_closed").isEmpty());
        LogEvent closed = events.named("connection_closed").getFirst();
        assertThat(ServerEvents.field(closed, "peer")).isEqualTo("192.0.2.7:40001");
        assertThat(ServerEvents.field(closed, "proxy")).isEqualTo("127.0.0.1:" + s.getLocalPort());
        assertThat(ServerEvents.field(closed, "bytes_in")).as("header bytes are not data").isEqualTo(12L);
        assertThat(server.stats().refused()).isZero();
    }

    @Test
    void v1Tcp6HeaderNamesAnIpv6Client() throws IOException {
        TcpServer server = start("127.0.0.1");
        Socket s = connect(server);
        assertThat(exchange(s, concat(v1("PROXY TCP6 2001:db8::7 2001:db8::1 40002 6789"), utf8("v6\n"))))
                .isEqualTo(utf8("V6\n"));
        openedFor("[2001:db8::7]:40002");
    }

    @Test
    void v2Ipv4WithTlvsIsSkippedSafelyAndTheDataAnswered() throws IOException {
        TcpServer server = start("127.0.0.0/8");
        Socket s = connect(server);
        byte[] tlvs = concat(tlv(0x01, ascii("h2")), tlv(0x02, ascii("example.com")), tlv(0x05, new byte[16]),
                tlv(0xEA, new byte[200]));
        assertThat(exchange(s, concat(v2Inet(CLIENT4, SERVICE4, tlvs), utf8("ünïcode\n"))))
                .isEqualTo(upper("ünïcode\n"));
        openedFor("192.0.2.7:40001");
    }

    @Test
    void v2Ipv6NamesAnIpv6Client() throws IOException {
        TcpServer server = start("127.0.0.1/32");
        Socket s = connect(server);
        assertThat(exchange(s, concat(v2Inet(CLIENT6, SERVICE6, new byte[0]), utf8("six\n")))).isEqualTo(utf8("SIX\n"));
        openedFor("[2001:db8::7]:40002");
    }

    @Test
    void v2LocalAndV1UnknownAndV2UnspecAreServedAsTheBalancer() throws IOException {
        TcpServer server = start("127.0.0.1/32");
        byte[][] headers = {
            v2(0x20, 0x00, new byte[0]), // LOCAL: a health check
            v2(0x20, 0x11, addresses(CLIENT4, SERVICE4)), // LOCAL ignores even a block it carries
            v1("PROXY UNKNOWN"),
            v1("PROXY UNKNOWN ffff::1 ffff::2 1 2"),
            v2(0x21, 0x00, new byte[0]), // PROXY, UNSPEC
        };
        for (byte[] header : headers) {
            Socket s = connect(server);
            assertThat(exchange(s, concat(header, utf8("check\n")))).as(Headers.hex(header)).isEqualTo(utf8("CHECK\n"));
            String balancer = "127.0.0.1:" + s.getLocalPort();
            LogEvent opened = openedFor(balancer);
            assertThat(ServerEvents.field(opened, "proxy")).isEqualTo(balancer);
        }
        assertThat(server.stats().refused()).isZero();
    }

    @Test
    void aHeaderSplitByteByByteThenDataIsReadWhole() throws IOException {
        TcpServer server = start("127.0.0.1/32");
        for (byte[] header : List.of(v1("PROXY TCP4 192.0.2.7 198.51.100.1 40001 6789"),
                v2Inet(CLIENT4, SERVICE4, tlv(0x04, new byte[3])))) {
            Socket s = connect(server);
            OutputStream out = s.getOutputStream();
            for (byte b : header) {
                out.write(b);
                out.flush(); // TCP_NODELAY: most bytes arrive in a segment of their own
            }
            out.write(utf8("split\n"));
            assertThat(readExactly(s.getInputStream(), 6)).isEqualTo(utf8("SPLIT\n"));
        }
        assertThat(events.named("connection_opened").stream().filter(e -> "192.0.2.7:40001".equals(ServerEvents.field(e, "peer"))))
                .hasSize(2);
    }

    @Test
    void everyPipelinedByteAfterTheHeaderIsAnsweredInOrder() throws Exception {
        TcpServer server = start("127.0.0.1/32");
        Socket s = connect(server);
        byte[] data = new byte[300_000];
        Random random = new Random(11);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + random.nextInt(26));
            if (i % 61 == 60) {
                data[i] = '\n';
            }
        }
        byte[] header = v2Inet(CLIENT4, SERVICE4, new byte[0]);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                s.getOutputStream().write(concat(header, data));
                s.shutdownOutput();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] reply = readAll(s.getInputStream());
        assertThat(reply).isEqualTo(new String(data, java.nio.charset.StandardCharsets.US_ASCII).toUpperCase().getBytes());
        assertThat(writer.join(WAIT)).isTrue();
    }

    @ParameterizedTest(name = "listening and trusting {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void aBalancerOnEitherLoopbackIsTrusted(String address) throws IOException {
        TcpServer server = start(address, address, Duration.ofSeconds(10));
        Socket s = connect(server);
        assertThat(exchange(s, concat(v1("PROXY TCP4 192.0.2.7 198.51.100.1 40001 6789"), utf8("x\n"))))
                .isEqualTo(utf8("X\n"));
        LogEvent opened = openedFor("192.0.2.7:40001");
        String balancer = address.contains(":") ? "[::1]:" + s.getLocalPort() : "127.0.0.1:" + s.getLocalPort();
        assertThat(ServerEvents.field(opened, "proxy")).isEqualTo(balancer);
    }

    // ---- trusted sources that break the rules ----

    @Test
    void aTrustedSourceMustSendAHeader() throws IOException {
        TcpServer server = start("127.0.0.1/32");
        Socket s = connect(server);
        s.getOutputStream().write(utf8("hello\n"));
        assertThat(closedWithoutReply(s)).isTrue();
        awaitRefused(server, Refusal.PROXY_HEADER, 1);
        Eventually.await("open connections back to 0", WAIT, () -> server.stats().open() == 0);
        assertThat(server.stats().accepted()).as("a refusal is not a served connection").isZero();
    }

    @Test
    void malformedAndTruncatedHeadersFromATrustedSourceAreRefused() throws IOException {
        TcpServer server = start("127.0.0.1/32");
        byte[][] bad = {
            v1("PROXY TCP4 192.0.2.777 198.51.100.1 40001 6789"),
            ascii("PROXY TCP4 192.0.2.7 198.51.100.1 40001 6789\n"),
            v2(0x21, 0x11, 40, addresses(CLIENT4, SERVICE4)), // a length past the end, then the end
            v2(0x23, 0x11, addresses(CLIENT4, SERVICE4)), // an unknown command
            v2(0x21, 0x51, addresses(CLIENT4, SERVICE4)), // an unknown family
            v2(0x21, 0x11, 2000, new byte[0]), // over the 1 KiB bound
            ascii("PROXY TCP4 192.0.2.7"), // truncated by the end of the stream
        };
        for (byte[] header : bad) {
            Socket s = connect(server);
            s.getOutputStream().write(header);
            s.shutdownOutput();
            assertThat(closedWithoutReply(s)).as(Headers.hex(header)).isTrue();
        }
        awaitRefused(server, Refusal.PROXY_HEADER, bad.length);
        Eventually.await("open connections back to 0", WAIT, () -> server.stats().open() == 0);
        assertThat(events.named("refused")).isNotEmpty().allMatch(e -> "proxy_header".equals(ServerEvents.field(e, "reason")));
    }

    @Test
    void aHeaderTrickledSlowerThanTheHandshakeTimeoutIsClosedAndCounted() throws Exception {
        TcpServer server = start("127.0.0.1", "127.0.0.1/32", Duration.ofMillis(600));
        Socket s = connect(server);
        OutputStream out = s.getOutputStream();
        byte[] header = v1("PROXY TCP6 2001:db8::7 2001:db8::1 40002 6789");
        long start = System.nanoTime();
        boolean closed = false;
        // One byte every 50 ms is a pace, not a wait for anything: the header would take 2.3 s.
        for (int i = 0; i < header.length && !closed; i++) {
            try {
                out.write(header[i]);
                out.flush();
            } catch (SocketException e) {
                closed = true;
            }
            Thread.sleep(50);
            closed |= server.stats().refusals().get(Refusal.HANDSHAKE_TIMEOUT) == 1;
        }
        assertThat(closed).as("closed before the whole header was sent").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(closedWithoutReply(s)).isTrue();
        awaitRefused(server, Refusal.HANDSHAKE_TIMEOUT, 1);
        Eventually.await("open connections back to 0", WAIT, () -> server.stats().open() == 0);
    }

    @Test
    void aSilentTrustedConnectionTimesOutAndOthersAreServedMeanwhile() throws IOException {
        TcpServer server = start("127.0.0.1", "127.0.0.1/32", Duration.ofMillis(300));
        Socket silent = connect(server);
        Socket busy = connect(server);
        assertThat(exchange(busy, concat(v1("PROXY UNKNOWN"), utf8("busy\n")))).isEqualTo(utf8("BUSY\n"));
        assertThat(closedWithoutReply(silent)).isTrue();
        assertThat(server.stats().refusals().get(Refusal.HANDSHAKE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aTrustedConnectionClosedBeforeAnyByteIsAHealthCheckNotARefusal() throws IOException {
        TcpServer server = start("127.0.0.1/32");
        Socket s = connect(server);
        s.shutdownOutput();
        assertThat(readAll(s.getInputStream())).isEmpty();
        Eventually.await("the close", WAIT, () -> server.stats().closes().get(CloseReason.CLIENT) == 1);
        assertThat(server.stats().refused()).isZero();
        assertThat(server.stats().accepted()).isEqualTo(1);
        assertThat(events.named("refused")).isEmpty();
    }

    // ---- untrusted sources: a header is never believed; no header is a direct client ----

    @Test
    void anUntrustedSourceWithAHeaderIsClosedAndCounted() throws IOException {
        TcpServer server = start("192.0.2.0/24"); // not loopback: this test's client is untrusted
        Socket v1 = connect(server);
        v1.getOutputStream().write(ascii("PROXY ")); // decided at the signature, before the rest
        assertThat(closedWithoutReply(v1)).isTrue();
        Socket v2 = connect(server);
        v2.getOutputStream().write(Headers.V2_SIGNATURE);
        assertThat(closedWithoutReply(v2)).isTrue();
        awaitRefused(server, Refusal.PROXY_UNTRUSTED, 2);
        LogEvent refused = events.named("refused").getFirst();
        assertThat(ServerEvents.field(refused, "reason")).isEqualTo("proxy_untrusted");
        assertThat(ServerEvents.field(refused, "peer")).isEqualTo("127.0.0.1:" + v1.getLocalPort());
        Eventually.await("open connections back to 0", WAIT, () -> server.stats().open() == 0);
    }

    @Test
    void anUntrustedSourceWithoutAHeaderIsADirectClientEvenWhenItsLineStartsLikeOne() throws IOException {
        TcpServer server = start("192.0.2.0/24");
        String[] lines = {"PING\n", "P\n", "PROXY\n", "PROXYZ is not a header\n", "\r\nnot v2\n", "hello\n"};
        for (String line : lines) {
            Socket s = connect(server);
            assertThat(exchange(s, utf8(line))).as(line).isEqualTo(upper(line));
            LogEvent opened = openedFor("127.0.0.1:" + s.getLocalPort());
            assertThat(ServerEvents.field(opened, "proxy")).isNull();
        }
        Socket s = connect(server);
        assertThat(exchange(s, ascii("PR"))).as("a prefix, then the end").isEqualTo(ascii("PR"));
        assertThat(server.stats().refused()).isZero();
    }

    @Test
    void aDirectClientsByteTypedOneAtATimeIsAnsweredOnceItCannotBeASignature() throws IOException {
        TcpServer server = start("192.0.2.0/24");
        Socket s = connect(server);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write('P');
        out.flush();
        out.write('i');
        assertThat(readExactly(in, 2)).isEqualTo(ascii("PI"));
        out.write(ascii("ng\n"));
        assertThat(readExactly(in, 3)).isEqualTo(ascii("NG\n"));
    }
}
