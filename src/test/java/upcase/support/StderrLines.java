package upcase.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process's stderr, read line by line on a virtual thread of its own (which ends when the
 * stream does), so that a test waits for a line instead of sleeping. Lines are consumed by
 * {@link #awaitLine} in order, on the test's thread.
 */
public final class StderrLines {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;

    public StderrLines(InputStream stderr) {
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
    }

    /** Waits for the next line that contains {@code text}; returns it. */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no stderr line containing '" + text + "' within " + timeout + "; saw " + seen);
            }
            seen.add(line);
            if (line.contains(text)) {
                return line;
            }
        }
    }

    /** Every line, once the process has ended and its stderr is closed. */
    public List<String> all() throws InterruptedException {
        if (!reader.join(Duration.ofSeconds(10))) {
            throw new AssertionError("stderr still open");
        }
        lines.drainTo(seen);
        return List.copyOf(seen);
    }
}
