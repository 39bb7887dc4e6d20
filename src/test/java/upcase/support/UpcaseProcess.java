package upcase.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code upcase} in a child JVM, for what needs a real process: signals, exit codes, the
 * environment. Its stderr is collected line by line; tests wait for lines, never sleep.
 */
public final class UpcaseProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("upcase: (tcp|tls|udp|metrics) listening on \\S*:(\\d+)( \\(.*\\))?");

    private final Process process;
    private final StderrLines stderr;

    private UpcaseProcess(Process process) {
        this.process = process;
        this.stderr = new StderrLines(process.getErrorStream());
    }

    public static UpcaseProcess start(Map<String, String> env, String... args) throws IOException {
        return start(env, List.of(), List.of(), args);
    }

    /** With JVM options, such as a fixed heap for memory measurements. */
    public static UpcaseProcess startWithJvmOptions(List<String> jvmOptions, String... args) throws IOException {
        return start(Map.of(), List.of(), jvmOptions, args);
    }

    /**
     * Through {@code bash -c '<shell>; exec java ...'}: {@code shell} can lower limits
     * ({@code ulimit -n 128}) or redirect the JVM's stderr ({@code exec 2>/dev/full}).
     */
    public static UpcaseProcess startUnder(String shell, String... args) throws IOException {
        return start(Map.of(), underShell(shell), List.of(), args);
    }

    /** The prefix that runs {@code shell} and then execs the JVM: {@code bash -c '<shell>; exec "$@"'}. */
    public static List<String> underShell(String shell) {
        return List.of("bash", "-c", shell + "; exec \"$@\"", "upcase-under");
    }

    /**
     * The general form: {@code env} added to a clean environment (no inherited {@code UPCASE_*}),
     * the JVM started under {@code prefix} (a command that execs it: {@code prlimit ...}, {@code bash -c}),
     * with {@code jvmOptions}.
     */
    public static UpcaseProcess start(Map<String, String> env, List<String> prefix, List<String> jvmOptions,
            String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED"); // as the launcher runs it (the UDP native engine)
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("upcase.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("UPCASE_"));
        builder.environment().putAll(env);
        return new UpcaseProcess(builder.start());
    }

    /** Under a command that execs it: {@code ip netns exec NAME} runs it in a network namespace. */
    public static UpcaseProcess startPrefixed(List<String> prefix, String... args) throws IOException {
        return start(Map.of(), prefix, List.of(), args);
    }

    /** Under a command that execs it, with JVM options (a small heap for many servers on one machine). */
    public static UpcaseProcess startPrefixed(List<String> prefix, List<String> jvmOptions, String... args) throws IOException {
        return start(Map.of(), prefix, jvmOptions, args);
    }

    public static UpcaseProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    public Process process() {
        return process;
    }

    /** Open descriptors of the process, from /proc. */
    public long openDescriptors() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + process.pid() + "/fd"))) {
            return fds.count();
        }
    }

    /** Resident memory of the process in KiB, from /proc. */
    public long residentKib() throws IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + process.pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst()
                .orElseThrow();
    }

    /** Waits for the next stderr line that contains {@code text}; returns it. */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        return stderr.awaitLine(text, timeout);
    }

    /**
     * Waits for the {@code upcase: WHAT listening on ADDRESS:PORT} line and returns the port;
     * {@code what} is {@code tcp}, {@code tls}, {@code udp} or {@code metrics} (the --metrics listener).
     */
    public int awaitListening(String what) throws InterruptedException {
        return portOf(awaitListeningLine(what));
    }

    /** Waits for the {@code upcase: WHAT listening on ...} line and returns it whole (the engine, faults). */
    public String awaitListeningLine(String what) throws InterruptedException {
        return awaitLine(what + " listening on ", Duration.ofSeconds(20));
    }

    /** The port of a {@code upcase: WHAT listening on ADDRESS:PORT} line. */
    public static int portOf(String listeningLine) {
        Matcher m = LISTENING.matcher(listeningLine);
        if (!m.matches()) {
            throw new AssertionError("not a listening line: " + listeningLine);
        }
        return Integer.parseInt(m.group(2));
    }

    /**
     * SIGTERM, as {@code kill PID} sends. Through the handle: {@code Process.destroy()} also
     * closes our end of the child's pipes, which would lose its last stderr lines.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout);
        }
        return process.exitValue();
    }

    /** Every stderr line, once the process has ended and its stderr is closed. */
    public List<String> stderr() throws InterruptedException {
        return stderr.all();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
