package upcase.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import upcase.support.TestPki;
import upcase.support.TestPki.Issued;
import upcase.support.TestPki.KeyFormat;

/**
 * {@link ServerTls#newEngine()} as the event loop will drive it: non-blocking wrap/unwrap with
 * delegated tasks, here pumped in memory against a client engine, until application data flows.
 */
class EngineHandshakeTest {
    @TempDir
    Path dir;

    @Test
    void aServerEngineCompletesAHandshakeAndCarriesData() throws Exception {
        Issued ca = TestPki.ca("engine CA");
        KeyPair keys = TestPki.ec();
        Issued leaf = TestPki.localhost(keys, ca);
        ServerTls tls = ServerTls.load(new ServerTlsSettings(
                TestPki.writeCertificates(dir.resolve("c.pem"), leaf.certificate()),
                TestPki.writeKey(dir.resolve("k.pem"), keys.getPrivate(), KeyFormat.TRADITIONAL)));
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, TrustStores.trustManagers(List.of(ca.certificate())), null);
        SSLEngine client = clientContext.createSSLEngine("localhost", 6789);
        client.setUseClientMode(true);
        var parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        SSLEngine server = tls.newEngine();

        ByteBuffer toServer = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        ByteBuffer toClient = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        ByteBuffer clientApp = ByteBuffer.allocate(client.getSession().getApplicationBufferSize());
        ByteBuffer serverApp = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        ByteBuffer request = ByteBuffer.wrap("hello engine\n".getBytes(StandardCharsets.UTF_8));
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100 && serverApp.position() == 0; round++) {
            step(client, request, toServer, toClient, clientApp);
            step(server, ByteBuffer.allocate(0), toClient, toServer, serverApp);
        }
        assertThat(new String(serverApp.array(), 0, serverApp.position(), StandardCharsets.UTF_8)).isEqualTo("hello engine\n");
        assertThat(server.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(client.getSession().getPeerPrincipal().getName()).isEqualTo("CN=localhost");
    }

    /** One turn of an engine: run its tasks, wrap what it wants to send, unwrap what it has received. */
    private static void step(SSLEngine engine, ByteBuffer app, ByteBuffer out, ByteBuffer in, ByteBuffer appIn)
            throws SSLException {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // the event loop hands these to another thread; here there is only one
        }
        SSLEngineResult wrapped = engine.wrap(app, out);
        assertThat(wrapped.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult unwrapped = engine.unwrap(in, appIn);
            if (unwrapped.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            if (unwrapped.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        in.compact();
    }
}
