package upcase.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import upcase.probe.Timing;
import upcase.probe.Transport;

/**
 * A program under test (a student's server), started from a {@link CommandTemplate} on free
 * ports, in a process group of its own, and stopped with that whole group whatever it does. It
 * is untrusted: every wait on it is bounded, its stdout goes to /dev/null, its stderr into a ring
 * of fixed size, and nothing here ever blocks on it. Used by one thread at a time (the grader's).
 */
public final class Program implements AutoCloseable {
    /** How often the start and the stop look at the program again: short next to the timeouts, cheap in /proc reads. */
    private static final long POLL_MILLIS = 50;
    /** How long the group may take to vanish after SIGKILL (the kernel is quick; a process in D state is not). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final String command;
    private final Map<Transport, Integer> ports;
    private final LaunchConfig config;
    private final ProcessGroup group;
    private final StderrTail stderr;
    private Exit exit;

    private Program(String command, Map<Transport, Integer> ports, LaunchConfig config, ProcessGroup group) {
        this.command = command;
        this.ports = Map.copyOf(ports);
        this.config = config;
        this.group = group;
        Orphans.watch(group);
        this.stderr = StderrTail.reading(group.process().getErrorStream(), config.stderrLimit(),
                "upcase-stderr-" + group.pgid());
    }

    /**
     * Starts the program and waits until each of its ports answers. A program that fails to bind
     * (stderr says a port is in use: another process took it between the pick and the bind) is
     * started once more on new ports.
     *
     * @return the program, running or not: {@link Started#problem()} says why it is not ready
     */
    public static Started start(CommandTemplate template, Path dir, LaunchConfig config) throws IOException,
            InterruptedException {
        Started started = startOnce(template, dir, config);
        if (started.problem() != null && started.program().lostItsPort()) {
            started.program().stop();
            started = startOnce(template, dir, config);
        }
        return started;
    }

    private static Started startOnce(CommandTemplate template, Path dir, LaunchConfig config) throws IOException,
            InterruptedException {
        Map<Transport, Integer> ports = FreePorts.pick(template);
        String command = template.render(ports, dir);
        Program program = new Program(command, ports, config, ProcessGroup.start(command, dir));
        return new Started(program, program.awaitReady());
    }

    /**
     * The program, and why it is not ready to be probed: {@code null} when every port answered.
     */
    public record Started(Program program, String problem) {}

    public String command() {
        return command;
    }

    public Map<Transport, Integer> ports() {
        return ports;
    }

    /** Polls until every port answers, the program exits, or the start timeout passes. */
    private String awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        Map<Transport, Integer> waiting = new EnumMap<>(ports);
        while (true) {
            // The program's own sockets, where /proc shows them: asking the port itself disturbs the
            // program (a server that dies on its first client would die of the asking).
            if (BoundPorts.visible(group.process().pid())) {
                Map<Transport, Set<Integer>> bound = BoundPorts.of(group.members());
                waiting.entrySet().removeIf(e -> bound.get(e.getKey()).contains(e.getValue()));
            } else {
                waiting.entrySet().removeIf(e -> Readiness.answers(e.getKey(), e.getValue()));
            }
            if (waiting.isEmpty()) {
                return null;
            }
            if (!group.process().isAlive()) {
                return "the program exited with status " + group.process().exitValue() + " before it answered on "
                        + show(waiting);
            }
            if (System.nanoTime() - deadline >= 0) {
                return "nothing answered on " + show(waiting) + " within " + Timing.format(config.startTimeout()) + ", "
                        + elsewhere(waiting.keySet());
            }
            // Polling: a program says nowhere that it is ready (its lines are its own), only its port can.
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** What the program listens on instead, read from /proc: the usual fault is a hard-coded port. */
    private String elsewhere(Set<Transport> waiting) {
        Map<Transport, Set<Integer>> bound = BoundPorts.of(group.members());
        List<String> found = new ArrayList<>();
        for (Transport t : Transport.values()) {
            bound.getOrDefault(t, Set.of()).forEach(p -> found.add(t.id() + " port " + p));
        }
        if (found.isEmpty()) {
            return "and the program has no listening socket: does it wait for input, or start slower than"
                    + " --start-timeout?";
        }
        return "but the program listens on " + String.join(", ", found)
                + ": does it take its port from the command line?";
    }

    /** Whether the program ended because its port was taken (the race of {@link FreePorts}). */
    private boolean lostItsPort() throws InterruptedException {
        if (group.process().isAlive()) {
            return false;
        }
        stderr.awaitEnd(1000);
        String text = String.join("\n", stderr.lastLines(config.stderrLines())).toLowerCase(Locale.ROOT);
        return text.contains("address already in use") || text.contains("eaddrinuse");
    }

    /**
     * Stops the program's whole group: SIGTERM, then SIGKILL after the grace, then waits until no
     * process of the group is left (bounded). Safe to call again: the first exit is kept.
     */
    public Exit stop() throws InterruptedException {
        if (exit != null) {
            return exit;
        }
        try {
            exit = stopGroup();
            return exit;
        } catch (InterruptedException e) {
            // The grader itself is being stopped (Ctrl-C, a pool shut down): the group goes all the
            // same, at once. The exception cleared the interrupt, so this kill's own wait works.
            group.signal("KILL");
            Orphans.forget(group);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private Exit stopGroup() throws InterruptedException {
        Process main = group.process();
        boolean exitedOnItsOwn = !main.isAlive();
        String stoppedWith = null;
        List<Long> left = group.members();
        if (!left.isEmpty()) {
            stoppedWith = "TERM";
            group.signal("TERM");
            left = awaitGone(config.stopGrace());
            if (!left.isEmpty()) {
                stoppedWith = "KILL";
                group.signal("KILL");
                left = awaitGone(KILL_WAIT);
            }
        }
        Orphans.forget(group);
        int status = main.waitFor(1, TimeUnit.SECONDS) ? main.exitValue() : -1;
        try {
            main.getOutputStream().close(); // stdin: the program never got a byte of it
        } catch (IOException e) {
            // already closed by the program's end
        }
        stderr.awaitEnd(1000);
        return new Exit(status, exitedOnItsOwn, stoppedWith, left, stderr.lastLines(config.stderrLines()), stderr.total());
    }

    /** The group's live processes once they are gone or {@code wait} has passed. */
    private List<Long> awaitGone(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Long> left = group.members();
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS); // no event tells when another process exits: /proc is polled
            left = group.members();
        }
        return left;
    }

    /** Whether the main process has exited (it may have left others in its group). */
    public boolean exited() {
        return !group.process().isAlive();
    }

    /** The live processes of the program's group: for tests that prove the stop left none. */
    public List<Long> processes() {
        return group.members();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static String show(Map<Transport, Integer> ports) {
        return ports.entrySet().stream().map(e -> e.getKey().id() + " port " + e.getValue())
                .collect(Collectors.joining(" and "));
    }
}
