package upcase.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.support.Lines.utf8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import upcase.cli.Io;
import upcase.cli.Main;
import upcase.support.Python;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;
import upcase.text.UpperCase;

/**
 * Interop both ways with the textbook's own Python programs, run unchanged but for Python 3
 * (src/test/resources/textbook): an independent implementation of the other side.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TextbookPythonInteropTest {
    private static TcpServer tcp;
    private static UdpServer udp;

    @BeforeAll
    static void startUpcase() throws IOException {
        InetAddress loopback = InetAddress.ofLiteral("127.0.0.1");
        tcp = TcpServer.start(TcpServerConfig.defaults(new InetSocketAddress(loopback, 0)));
        udp = UdpServer.start(new UdpServerConfig(new InetSocketAddress(loopback, 0), UpperCase.unicode()));
    }

    @AfterAll
    static void stopUpcase() {
        tcp.close();
        udp.close();
    }

    @BeforeEach
    void needsPython() {
        Python.assumeAvailable();
    }

    @Test
    void textbookTcpClientAgainstUpcase() throws Exception {
        // The book's client sends text with no line feed and does one recv(1024).
        String port = String.valueOf(tcp.localAddress().getPort());
        assertThat(Python.runClient("tcp_client.py", new byte[0], "127.0.0.1", port, "hello world"))
                .isEqualTo("HELLO WORLD\n");
        assertThat(Python.runClient("tcp_client.py", utf8("straße ğüş"), "127.0.0.1", port, "-"))
                .isEqualTo("STRASSE ĞÜŞ\n");
    }

    @Test
    void textbookUdpClientAgainstUpcase() throws Exception {
        String port = String.valueOf(udp.localAddress().getPort());
        assertThat(Python.runClient("udp_client.py", new byte[0], "127.0.0.1", port, "hello world"))
                .isEqualTo("HELLO WORLD\n");
        assertThat(Python.runClient("udp_client.py", utf8("straße"), "127.0.0.1", port, "-"))
                .isEqualTo("STRASSE\n");
    }

    @Test
    void upcaseTcpClientAgainstTheTextbookServer() throws Exception {
        try (Python.Server server = Python.Server.start("tcp_server.py")) {
            Result r = run("hello from upcase\n", "tcp-client", "127.0.0.1", String.valueOf(server.port()));
            assertThat(r.stderr).isEmpty();
            assertThat(r.status).isZero();
            assertThat(r.stdout).isEqualTo("HELLO FROM UPCASE\n");
            // A second run: the textbook server serves one line per connection, then the next client.
            Result again = run("once more\n", "tcp-client", "--once", "127.0.0.1", String.valueOf(server.port()));
            assertThat(again.status).isZero();
            assertThat(again.stdout).isEqualTo("ONCE MORE\n");
        }
    }

    @Test
    void upcaseUdpClientAgainstTheTextbookServer() throws Exception {
        try (Python.Server server = Python.Server.start("udp_server.py")) {
            Result r = run("one\ntwo\n\nthree\n", "udp-client", "127.0.0.1", String.valueOf(server.port()));
            assertThat(r.stderr).isEmpty();
            assertThat(r.status).isZero();
            assertThat(r.stdout).isEqualTo("ONE\nTWO\n\nTHREE\n");
        }
    }

    private record Result(int status, String stdout, String stderr) {}

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(utf8(stdin)), out, new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int status = Main.run(io, args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
