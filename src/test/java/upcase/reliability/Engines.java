package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import upcase.nativeio.Availability;
import upcase.net.Engine;
import upcase.support.UpcaseProcess;

/**
 * How the reliability tests run the server on each engine. Every class here is a
 * {@code @ParameterizedClass} over {@code nio}, {@code epoll} and {@code io_uring}, and
 * skips a native one with one line where {@link Availability} says it cannot run.
 *
 * <p>The engine reaches the child process through {@code UPCASE_ENGINE}, not {@code --engine}:
 * every server command reads the variable (today the UDP server; the TCP server once its epoll
 * engine exists), while the flag is refused by a command that has no engine option yet. So these
 * tests cover whatever engine a build gives TCP, without a change here. When a start line names
 * its engine, {@link #awaitListening} checks it is the one asked for, so a fallback to NIO cannot
 * pass as an epoll run.
 */
final class Engines {
    /** The {@code @EnumSource} names: every engine a server can be asked for, {@code auto} aside (it is one of these). */
    static final String NIO = "NIO";
    static final String EPOLL = "EPOLL";
    static final String IO_URING = "IO_URING";

    private static final Pattern ENGINE = Pattern.compile("\\(engine (\\w+)");

    private Engines() {}

    /** Skips the calling test, with the reason, when {@code engine} cannot run in this JVM. */
    static void assumeRunnable(Engine engine) {
        if (engine == Engine.EPOLL) {
            Availability here = Availability.here();
            Assumptions.assumeTrue(here.available(), () -> "no epoll engine here: " + here.reason());
        } else if (engine == Engine.IO_URING) {
            Availability here = Availability.ioUring();
            Assumptions.assumeTrue(here.available(), () -> "no io_uring engine here: " + here.reason());
        }
    }

    /** {@code upcase ARGS} in a child JVM, on {@code engine}. */
    static UpcaseProcess start(Engine engine, String... args) throws IOException {
        return start(engine, List.of(), List.of(), args);
    }

    /** The same under a command that execs it ({@code prlimit ... --}) and with JVM options. */
    static UpcaseProcess start(Engine engine, List<String> prefix, List<String> jvmOptions, String... args)
            throws IOException {
        return UpcaseProcess.start(Map.of("UPCASE_ENGINE", engine.label()), prefix, jvmOptions, args);
    }

    /**
     * The port of {@code protocol}'s start line ({@code tcp}, {@code udp}, {@code metrics});
     * when the line names an engine, it must be {@code engine}.
     */
    static int awaitListening(UpcaseProcess server, String protocol, Engine engine) throws InterruptedException {
        String line = server.awaitListeningLine(protocol);
        Matcher m = ENGINE.matcher(line);
        if (m.find()) {
            assertThat(m.group(1)).as("the engine of: " + line).isEqualTo(engine.label());
        }
        return UpcaseProcess.portOf(line);
    }
}
