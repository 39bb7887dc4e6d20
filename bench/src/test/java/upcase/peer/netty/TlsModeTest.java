package upcase.peer.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer's TLS mode: a certificate and PKCS#8 key made by openssl (skipped where it is
 * missing), the JDK provider, TLS 1.3/1.2 only, and a full handshake and exchange between two
 * in-memory channels, the peer's pipeline on one side and a Netty client on the other.
 */
class TlsModeTest {
    @TempDir
    Path dir;

    @Test
    void handshakesAndUppercasesOverTls() throws Exception {
        assumeTrue(new File("/usr/bin/openssl").canExecute(), "openssl is not installed (Debian package openssl): skipping");
        Process openssl = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj",
                "/CN=localhost").directory(dir.toFile()).redirectErrorStream(true).start();
        openssl.getOutputStream().close();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(openssl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), output);

        SslContext server = NettyUpcaseServer.tls(dir.resolve("cert.pem").toFile(), dir.resolve("key.pem").toFile());
        SSLEngine engine = server.newEngine(ByteBufAllocator.DEFAULT);
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, engine.getEnabledProtocols());

        EmbeddedChannel peer = new EmbeddedChannel(server.newHandler(ByteBufAllocator.DEFAULT),
                new LineBasedFrameDecoder(NettyUpcaseServer.MAX_LINE, false, false), new LineHandler(new UpperCase(true)));
        SslContext clientContext = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        SslHandler clientTls = clientContext.newHandler(ByteBufAllocator.DEFAULT);
        EmbeddedChannel client = new EmbeddedChannel(clientTls);
        client.writeOutbound(Unpooled.copiedBuffer("hello tls\n", StandardCharsets.UTF_8));

        StringBuilder reply = new StringBuilder();
        for (int round = 0; round < 50 && reply.indexOf("\n") < 0; round++) {
            shuttle(client, peer);
            shuttle(peer, client);
            for (ByteBuf b; (b = client.readInbound()) != null; b.release()) {
                reply.append(b.toString(StandardCharsets.UTF_8));
            }
        }
        assertEquals("HELLO TLS\n", reply.toString());
        assertEquals("TLSv1.3", clientTls.engine().getSession().getProtocol());
        client.finishAndReleaseAll();
        peer.finishAndReleaseAll();
    }

    /** What {@code from} wrote to the network, given to {@code to} as what it read. */
    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        for (Object o; (o = from.readOutbound()) != null; ) {
            to.writeInbound(o);
        }
        from.runPendingTasks();
        to.runPendingTasks();
    }
}
