package upcase.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The textbook's Python programs (src/test/resources/textbook), run as real processes. */
public final class Python {
    private static final Boolean AVAILABLE = probe();

    private Python() {}

    private static boolean probe() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Skips the calling test, with the reason, where python3 is missing. */
    public static void assumeAvailable() {
        assumeTrue(AVAILABLE, "python3 is not installed: skipping interop with the textbook's Python programs");
    }

    public static Path script(String name) {
        try {
            return Path.of(Python.class.getResource("/textbook/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a client script to completion; returns its stdout. */
    public static String runClient(String script, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", script(script).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(script + " exited " + p.exitValue());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A textbook server script, started and ready; close() stops it. */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final int port;

        private Server(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        public static Server start(String script, String... args) throws IOException {
            Path portFile = Files.createTempFile("upcase-python-", ".port");
            Files.delete(portFile);
            List<String> command = new ArrayList<>(List.of("python3", script(script).toString(), portFile.toString()));
            command.addAll(List.of(args));
            // stdin stays a pipe: the scripts exit when it closes, so none outlives the test JVM.
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Eventually.await(script + " ready", Duration.ofSeconds(20),
                    () -> Files.exists(portFile) || !process.isAlive());
            if (!process.isAlive()) {
                throw new AssertionError(script + " exited " + process.exitValue());
            }
            try {
                int port = Integer.parseInt(Files.readString(portFile).strip());
                Files.delete(portFile);
                return new Server(process, port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public int port() {
            return port;
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close();
            process.toHandle().destroy();
        }
    }
}
