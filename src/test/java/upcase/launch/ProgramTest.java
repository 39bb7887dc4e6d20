package upcase.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import upcase.probe.Transport;
import upcase.support.Eventually;
import upcase.support.Python;
import upcase.support.Tool;

/**
 * The program under test as the grader runs it: started in a group of its own, waited for,
 * diagnosed when it does not answer, stopped with everything it forked. Real processes, /proc.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProgramTest {
    /** For programs that are never going to answer: how long the start waits for them. */
    private static final LaunchConfig QUICK = LaunchConfig.defaults().withStartTimeout(Duration.ofMillis(500));

    @TempDir
    Path dir;

    @Test
    void aProgramThatIgnoresSigtermAndForksIsStoppedWithItsWholeGroup() throws Exception {
        Tool.require("setsid", "util-linux");
        // sh ignores SIGTERM; so do its two children (an ignored signal stays ignored across fork and exec).
        Program.Started started = Program.start(
                new CommandTemplate("trap '' TERM; sleep 300 & sleep 301 & wait # {tcp}"), dir, QUICK);
        Program program = started.program();
        Eventually.await("the shell and its two sleeps", Duration.ofSeconds(10), () -> program.processes().size() >= 3);
        List<Long> pids = program.processes();

        Exit exit = program.stop();

        assertThat(exit.stoppedWith()).isEqualTo("KILL");
        assertThat(exit.survivors()).isEmpty();
        assertThat(exit.describe("2s")).isEqualTo("still running after SIGTERM and 2s: stopped with SIGKILL");
        assertThat(program.processes()).isEmpty();
        // Checked pid by pid too, not only by group: each is gone, or a zombie waiting for its reaper.
        for (long pid : pids) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            if (Files.exists(stat)) {
                ProcessGroup.ProcStat s = ProcessGroup.ProcStat.read(stat.getParent());
                assertThat(s == null || s.state() == 'Z' || s.pgrp() != pids.getFirst()).as("pid %d survived", pid).isTrue();
            }
        }
    }

    @Test
    void aProgramThatNeverListensIsDiagnosedWithinTheStartTimeout() throws Exception {
        Tool.require("setsid", "util-linux");
        long start = System.nanoTime();
        Program.Started started = Program.start(new CommandTemplate("exec sleep 300 # {udp}"), dir, QUICK);
        try (Program program = started.program()) {
            int port = program.ports().get(Transport.UDP);
            assertThat(started.problem()).isEqualTo("nothing answered on udp port " + port + " within 500ms,"
                    + " and the program has no listening socket: does it wait for input, or start slower than --start-timeout?");
            Exit exit = program.stop();
            assertThat(exit.exitedOnItsOwn()).isFalse();
            assertThat(exit.stoppedWith()).isEqualTo("TERM");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aFloodOnStdoutAndStderrNeitherBlocksNorGrowsAndTheLastLinesAreKept() throws Exception {
        Tool.require("setsid", "util-linux");
        // 20 MB to stdout (a pipe nobody read would block after 64 KiB), 5 MB to stderr, then its last words.
        String flood = "head -c 20000000 /dev/zero; head -c 5000000 /dev/zero | tr '\\000' x >&2;"
                + " printf '\\nTraceback: it broke\\n' >&2; exit 4 # {tcp}";
        Program.Started started = Program.start(new CommandTemplate(flood), dir, LaunchConfig.defaults());
        try (Program program = started.program()) {
            assertThat(started.problem()).startsWith("the program exited with status 4 before it answered on tcp port ");
            Exit exit = program.stop();
            assertThat(exit.exitedOnItsOwn()).isTrue();
            assertThat(exit.status()).isEqualTo(4);
            assertThat(exit.stderrBytes()).isEqualTo(5_000_000 + "\nTraceback: it broke\n".length());
            assertThat(exit.stderrTail()).containsExactly("Traceback: it broke");
            assertThat(exit.describe("2s")).isEqualTo("exited by itself with status 4");
        }
    }

    @Test
    void controlBytesOnStderrAreShownEscaped() throws Exception {
        Tool.require("setsid", "util-linux");
        Program.Started started = Program.start(new CommandTemplate("printf 'a\\000b\\033[31mc\\n' >&2; exit 1 # {tcp}"),
                dir, LaunchConfig.defaults());
        try (Program program = started.program()) {
            assertThat(program.stop().stderrTail()).containsExactly("a\\x00b\\x1b[31mc");
        }
    }

    @Test
    void aLongLineOnStderrIsCut() throws Exception {
        Tool.require("setsid", "util-linux");
        Program.Started started = Program.start(new CommandTemplate("printf '%0600d\\n' 0 >&2; exit 1 # {tcp}"), dir,
                LaunchConfig.defaults());
        try (Program program = started.program()) {
            assertThat(program.stop().stderrTail()).containsExactly("0".repeat(500) + "...(600 characters)");
        }
    }

    @Test
    void aProgramOnAnotherPortIsToldWhichOne() throws Exception {
        Tool.require("setsid", "util-linux");
        Python.assumeAvailable();
        String elsewhere = "exec python3 -c 'import socket, time\n"
                + "s = socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(60)' {tcp}";
        Program.Started started = Program.start(new CommandTemplate(elsewhere), dir,
                LaunchConfig.defaults().withStartTimeout(Duration.ofSeconds(3)));
        try (Program program = started.program()) {
            assertThat(started.problem())
                    .startsWith("nothing answered on tcp port " + program.ports().get(Transport.TCP) + " within 3s, but the program listens on tcp port ")
                    .endsWith(": does it take its port from the command line?");
        }
    }

    @Test
    void aProgramWhosePortWasTakenIsStartedOnceMoreOnOthers() throws Exception {
        Tool.require("setsid", "util-linux");
        Python.assumeAvailable();
        // The first start fails as a bind to a taken port does; the second serves.
        String flaky = "if [ -e tried ]; then exec python3 -c 'import socket, sys, time\n"
                + "s = socket.socket(); s.bind((\"127.0.0.1\", int(sys.argv[1]))); s.listen(); time.sleep(60)' {tcp};"
                + " else touch tried; echo 'OSError: [Errno 98] Address already in use' >&2; exit 1; fi";
        Program.Started started = Program.start(new CommandTemplate(flaky), dir, LaunchConfig.defaults());
        try (Program program = started.program()) {
            assertThat(started.problem()).isNull();
            assertThat(Files.exists(dir.resolve("tried"))).isTrue();
            assertThat(program.exited()).isFalse();
        }
    }
}
