package upcase.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) opening a page from a file, as a person would:
 * the page's scripts run (a virtual time budget lets timers and animation frames fire), then
 * Chromium prints the resulting DOM or takes a screenshot. Console messages go to stderr
 * ({@code --enable-logging=stderr}), where {@link Page#consoleErrors()} finds them. Each run has
 * a new empty profile, no network services (no QUIC, background networking, component updates or
 * sync) and a host resolver that resolves nothing, so a page cannot reach anything even if it tried.
 * Runs as root, hence {@code --no-sandbox}. Skips the calling test where Chromium is missing.
 */
public record Chromium(Path binary, Path scratch) {
    private static final long TIMEOUT_SECONDS = 90;

    /** Chromium, with {@code scratch} for its profiles; skips the test where it is not installed. */
    public static Chromium require(Path scratch) {
        return new Chromium(Tool.require("chromium", "chromium"), scratch);
    }

    /** What Chromium printed: the DOM after the scripts ran (or nothing, for a screenshot), and its log. */
    public record Page(String dom, String log) {
        /** Console messages at warning or error level, uncaught exceptions, refused loads. */
        public List<String> consoleErrors() {
            List<String> errors = new ArrayList<>();
            for (String line : log.split("\n")) {
                boolean console = line.contains("CONSOLE") || line.contains("Uncaught") || line.contains("Refused to");
                boolean benign = line.contains(":INFO:CONSOLE") && !line.contains("Uncaught");
                if (console && !benign) {
                    errors.add(line);
                }
            }
            return errors;
        }
    }

    /** Opens {@code html} and returns the DOM after its scripts ran. */
    public Page dumpDom(Path html) throws IOException, InterruptedException {
        return run(html, "", "--dump-dom");
    }

    /** Opens {@code html} at {@code #fragment} (a page that reads its URL's fragment: {@code sort=score}). */
    public Page dumpDom(Path html, String fragment) throws IOException, InterruptedException {
        return run(html, "#" + fragment, "--dump-dom");
    }

    /** Opens {@code html} in a window {@code width} x {@code height} and writes a PNG of it. */
    public Page screenshot(Path html, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        Page page = run(html, "", "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot: " + page.log());
        }
        return page;
    }

    private Page run(Path html, String fragment, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND",
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"));
        command.addAll(List.of(action));
        command.add(html.toAbsolutePath().toUri() + fragment);
        Path out = scratch.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = scratch.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited " + p.exitValue() + ": " + Files.readString(err));
        }
        return new Page(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
