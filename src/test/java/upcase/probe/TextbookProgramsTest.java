package upcase.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.probe.Probing.failed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the issue promises of the textbook level: the textbook's own Java TCP server and its
 * Python servers pass it; its Java UDP server fails it (padding).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TextbookProgramsTest {
    @TempDir
    Path dir;

    @Test
    void theJavaTcpServerAsPrintedPassesTheTextbookLevel() throws Exception {
        try (FaultyServers.Running server = FaultyServers.textbookJavaTcpServer()) {
            assertThat(failed(Probing.tcp(server.port(), Level.TEXTBOOK, Probing.TIMEOUT))).isEmpty();
        }
    }

    @Test
    void theJavaUdpServerAsPrintedFailsTheTextbookLevel() throws Exception {
        try (FaultyServers.Running server = FaultyServers.udpPadder()) {
            assertThat(failed(Probing.udp(server.port(), Level.TEXTBOOK, Probing.TIMEOUT)))
                    .containsExactly("udp.textbook.datagram", "udp.textbook.punctuation");
        }
    }

    @Test
    void thePythonServersPassTheTextbookLevel() throws Exception {
        try (Python tcp = Python.start("tcp_server.py", dir.resolve("tcp.port"));
                Python udp = Python.start("udp_server.py", dir.resolve("udp.port"))) {
            Report report = Probing.run(new Endpoint("127.0.0.1", tcp.port()), new Endpoint("127.0.0.1", udp.port()),
                    Level.TEXTBOOK, Probing.TIMEOUT);
            assertThat(failed(report)).isEmpty();
            assertThat(report.count(Verdict.PASS)).isEqualTo(4);
        }
    }

    /** A textbook Python server from the test resources; skips the test where there is no python3. */
    private record Python(Process process, int port) implements AutoCloseable {
        static Python start(String script, Path portFile) throws IOException, URISyntaxException {
            Path path = Path.of(TextbookProgramsTest.class.getResource("/textbook/" + script).toURI());
            Process process;
            try {
                process = new ProcessBuilder("python3", path.toString(), portFile.toString()).start();
            } catch (IOException e) {
                Assumptions.abort("no python3: " + e.getMessage());
                throw e;
            }
            // The script writes the port file, then prints its ready line to stderr: waiting for
            // that line (not a sleep) is the synchronization.
            BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
            String ready = stderr.readLine();
            if (ready == null || !ready.contains("ready")) {
                process.destroyForcibly();
                throw new IOException(script + " did not start: " + ready);
            }
            return new Python(process, Integer.parseInt(Files.readString(portFile).strip()));
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close(); // the scripts exit at end of stdin
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
