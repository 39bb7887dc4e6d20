package upcase.launch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program started in a process group of its own, so that a signal reaches it and everything
 * it forked: {@code setsid /bin/sh -c COMMAND}. Java's ProcessBuilder cannot call setsid(2)
 * itself; util-linux's {@code setsid} does, and since a JVM's child is never a group leader, it
 * calls setsid() and execs in the same process, without forking: the child's pid is the group's
 * id. Signals go to the group with the shell's {@code kill -s SIG -- -PGID} (negative: the whole group).
 *
 * <p>The group's members are found in {@code /proc} (Linux): the processes whose process group
 * is this one, zombies excepted (they are dead; their parent or init reaps them). A program that
 * calls setsid() or setpgid() itself leaves the group and is out of reach: only a cgroup or a
 * container would catch it.
 */
final class ProcessGroup {
    private static final Path PROC = Path.of("/proc");

    private final Process process;
    private final long pgid;

    private ProcessGroup(Process process) {
        this.process = process;
        this.pgid = process.pid();
    }

    /**
     * Starts {@code command} with {@code /bin/sh} in {@code dir}: stdout to /dev/null (a program
     * that writes a lot must never block on a pipe nobody reads), stdin a pipe that stays open
     * and silent until the stop (as at a terminal where nobody types), stderr a pipe for the caller.
     */
    static ProcessGroup start(String command, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("setsid", "/bin/sh", "-c", command)
                .directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // The program must not think it talks to upcase's own settings.
        builder.environment().keySet().removeIf(k -> k.startsWith("UPCASE_"));
        return new ProcessGroup(builder.start());
    }

    Process process() {
        return process;
    }

    long pgid() {
        return pgid;
    }

    /** Sends {@code signal} (TERM or KILL: a constant, never user input) to every process of the group; false when none was left. */
    boolean signal(String signal) throws InterruptedException {
        try {
            // The shell's own kill: every POSIX shell has it, while kill(1) is an extra package (procps).
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " -- -" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return false;
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            // No /bin/sh: the main process at least (Java signals it directly).
            if (signal.equals("KILL")) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            return process.isAlive();
        }
    }

    /** The live (not zombie) processes of the group, by pid. */
    List<Long> members() {
        return members(pgid);
    }

    /** The live processes whose process group is {@code pgid}, read from /proc. */
    static List<Long> members(long pgid) {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path p : all) {
                ProcStat stat = ProcStat.read(p);
                if (stat != null && stat.pgrp() == pgid && stat.state() != 'Z' && stat.state() != 'X') {
                    found.add(stat.pid());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * The fields of {@code /proc/PID/stat} a group needs. The command name (2nd field) is in
     * parentheses and may hold spaces and parentheses itself: the fields after it are counted
     * from its last ')'.
     */
    record ProcStat(long pid, char state, long ppid, long pgrp) {
        static ProcStat read(Path procDir) {
            String text;
            try {
                text = Files.readString(procDir.resolve("stat"));
            } catch (NoSuchFileException e) {
                return null; // gone in between
            } catch (IOException e) {
                return null;
            }
            int close = text.lastIndexOf(')');
            if (close < 0) {
                return null;
            }
            String[] rest = text.substring(close + 2).split(" ");
            long pid = Long.parseLong(text.substring(0, text.indexOf(' ')));
            return new ProcStat(pid, rest[0].charAt(0), Long.parseLong(rest[1]), Long.parseLong(rest[2]));
        }
    }
}
