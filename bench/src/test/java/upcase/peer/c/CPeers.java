package upcase.peer.c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C peers for the tests: built once per test JVM by bench/peers/build-c.sh with the machine's
 * gcc (a test that needs them is skipped where there is none), and the reference server started
 * on ephemeral ports.
 */
final class CPeers {
    static final int TIMEOUT_MS = 20_000;
    private static final Pattern LISTENING = Pattern.compile("^c: (tcp|udp) listening on 127\\.0\\.0\\.1:(\\d+)$");
    private static Path built;

    private CPeers() {
    }

    /** The directory with upcase-c-server and upcase-c-load, built on first use. */
    static synchronized Path build() throws IOException, InterruptedException {
        assumeTrue(onPath("gcc"), "gcc is not installed (Debian packages gcc, libc6-dev): skipping the C peers");
        if (built == null) {
            Path out = Path.of("target", "peers-test").toAbsolutePath();
            Process build = new ProcessBuilder("bash", "peers/build-c.sh", out.toString()).redirectErrorStream(true).start();
            build.getOutputStream().close();
            String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(build.waitFor(120, TimeUnit.SECONDS), "build-c.sh did not finish");
            assertEquals(0, build.exitValue(), log);
            for (String binary : new String[] {"upcase-c-server", "upcase-c-load"}) {
                assertTrue(Files.isExecutable(out.resolve(binary)), log);
            }
            built = out;
        }
        return built;
    }

    /** The reference server, running; {@link #close()} stops it. */
    static final class Server implements AutoCloseable {
        final Process process;
        final int tcpPort;
        final int udpPort;

        Server() throws IOException, InterruptedException {
            process = new ProcessBuilder(build().resolve("upcase-c-server").toString(), "--bind", "127.0.0.1",
                    "--tcp-port", "0", "--udp-port", "0").start();
            process.getOutputStream().close();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofPlatform().daemon().name("c-server-stderr").start(() -> collect(process.getErrorStream(), lines));
            int tcp = 0;
            int udp = 0;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (tcp == 0 || udp == 0) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    close();
                }
                assertNotNull(line, "the C server printed no listening lines in time");
                Matcher m = LISTENING.matcher(line);
                if (m.matches() && m.group(1).equals("tcp")) {
                    tcp = Integer.parseInt(m.group(2));
                } else if (m.matches()) {
                    udp = Integer.parseInt(m.group(2));
                }
            }
            tcpPort = tcp;
            udpPort = udp;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void collect(InputStream stream, BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the server exited: nothing more to read
        }
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
