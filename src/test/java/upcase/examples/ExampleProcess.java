package upcase.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One example program running as a child process, as a reader would run it. Its stdout is read
 * line by line (tests wait for lines, never sleep) and its stderr is kept for failure messages.
 */
final class ExampleProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("The server is ready to receive on port (\\d+)");

    private final List<String> command;
    private final Process process;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    private ExampleProcess(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.outReader = Thread.ofVirtual().start(() -> readLines(process.getInputStream(), stdoutLines::add));
        this.errReader = Thread.ofVirtual().start(() -> readLines(process.getErrorStream(), line -> stderr.append(line).append('\n')));
    }

    private static void readLines(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    static ExampleProcess start(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        try {
            return new ExampleProcess(List.copyOf(command), builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits for the server's {@code The server is ready to receive on port N} line; returns N. */
    int awaitReadyPort(Duration timeout) throws InterruptedException {
        String line = awaitLine(timeout);
        Matcher m = READY.matcher(line);
        if (!m.matches()) {
            throw new AssertionError(describe() + ": not a ready line: " + line);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The next stdout line. */
    String awaitLine(Duration timeout) throws InterruptedException {
        String line = stdoutLines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new AssertionError(describe() + ": no stdout line within " + timeout + (process.isAlive() ? "" : " (it has exited)"));
        }
        stdout.add(line);
        return line;
    }

    /** Writes text to the process's stdin, at once. */
    void write(String text) {
        try {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot write its stdin", e);
        }
    }

    /** Closes stdin (end of input), waits for the exit and both streams' end. */
    Result finish(Duration timeout) throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it has exited already; its status says how
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError(describe() + ": still running after " + timeout);
        }
        if (!outReader.join(Duration.ofSeconds(10)) || !errReader.join(Duration.ofSeconds(10))) {
            throw new AssertionError(describe() + ": stdout or stderr still open after its exit");
        }
        stdoutLines.drainTo(stdout);
        return new Result(process.exitValue(), List.copyOf(stdout), stderr.toString());
    }

    String describe() {
        return String.join(" ", command) + (stderr.isEmpty() ? "" : " [stderr: " + stderr.toString().strip() + "]");
    }

    /** Stops the process (SIGTERM, then SIGKILL if it lingers); only this child, by its handle. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.toHandle().destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.toHandle().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How a client run ended: its exit code, its stdout lines and its stderr. */
    record Result(int exit, List<String> stdout, String stderr) {}
}
