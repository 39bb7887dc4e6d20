package upcase.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import upcase.cli.Io;
import upcase.cli.Main;

/**
 * The programs under {@code examples/}, started the way examples/README.md tells a reader to:
 * {@code java examples/java/TCPServer.java 0}, {@code python3 examples/python/tcp_server.py 0}.
 *
 * <p>They run on a hostile platform on purpose, so that "explicit UTF-8, locale-independent" is
 * tested rather than assumed: the Java programs under {@code LC_ALL=C} with
 * {@code -Dfile.encoding=COMPAT} (an ASCII platform charset for stdin, stdout and
 * {@code String.getBytes()}) and the servers with a Turkish default locale; the Python programs
 * with {@code PYTHONIOENCODING=latin-1}. The other JVM flags only shorten start-up (the JDK
 * compiles the source file at every start).
 */
final class Examples {
    /** Surefire runs the tests in the project directory. */
    static final Path DIR = Path.of("examples");
    static final Duration SERVER_START = Duration.ofSeconds(60);
    static final Duration CLIENT_RUN = Duration.ofSeconds(60);

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final List<String> ASCII_PLATFORM = List.of("-Dfile.encoding=COMPAT");
    private static final List<String> TURKISH = List.of("-Duser.language=tr", "-Duser.country=TR");
    private static final Map<String, String> JAVA_ENV = Map.of("LC_ALL", "C");
    private static final Map<String, String> PYTHON_ENV = Map.of("PYTHONIOENCODING", "latin-1");

    private static Boolean python;
    private static Boolean probe;

    private Examples() {}

    /** A Java example, {@code TCPServer} for instance; servers get a Turkish default locale. */
    static ExampleProcess java(String program, String... args) {
        Path source = DIR.resolve("java").resolve(program + ".java");
        assertExists(source);
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(FAST_START);
        command.addAll(ASCII_PLATFORM);
        if (program.endsWith("Server")) {
            command.addAll(TURKISH);
        }
        command.add(source.toString());
        command.addAll(List.of(args));
        return ExampleProcess.start(command, JAVA_ENV);
    }

    /** A Python example, {@code tcp_server} for instance; skips the test when python3 is missing. */
    static ExampleProcess python(String script, String... args) {
        assumePython();
        Path source = DIR.resolve("python").resolve(script + ".py");
        assertExists(source);
        return python(source, args);
    }

    /** Any Python script, e.g. the textbook's own under src/test/resources/textbook. */
    static ExampleProcess python(Path script, String... args) {
        assumePython();
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        return ExampleProcess.start(command, PYTHON_ENV);
    }

    private static void assertExists(Path source) {
        if (!Files.isRegularFile(source)) {
            throw new AssertionError(source.toAbsolutePath() + " is missing");
        }
    }

    static synchronized boolean pythonAvailable() {
        if (python == null) {
            try {
                Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
                p.getInputStream().transferTo(OutputStream.nullOutputStream());
                python = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                python = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                python = false;
            }
        }
        return python;
    }

    static void assumePython() {
        assumeTrue(pythonAvailable(), "python3 is not on the PATH: the Python examples are skipped");
    }

    /** Runs a client with {@code stdin} as its whole input; returns how it ended. */
    static ExampleProcess.Result run(ExampleProcess client, String stdin) throws InterruptedException {
        try (client) {
            client.write(stdin);
            return client.finish(CLIENT_RUN);
        }
    }

    /** {@code upcase} in-process, piped (not at a terminal): stdout as UTF-8 text. */
    static Upcase upcase(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(UTF_8)), out, new PrintStream(err, true, UTF_8), false);
        int exit = Main.run(io, args);
        return new Upcase(exit, out.toString(UTF_8), err.toString(UTF_8));
    }

    record Upcase(int exit, String stdout, String stderr) {}

    /**
     * Whether {@code upcase probe} exists on this branch (it is built in parallel, issue 4).
     * {@code upcase help probe} fails for an unknown command; {@code upcase probe --help} would
     * not (the top-level --help answers it).
     */
    static synchronized boolean probeExists() {
        if (probe == null) {
            probe = upcase("", "help", "probe").exit() == Main.OK;
        }
        return probe;
    }

    static void assumeProbe() {
        assumeTrue(probeExists(), "this upcase has no 'probe' command yet (issue 4): the probe checks are skipped");
    }
}
