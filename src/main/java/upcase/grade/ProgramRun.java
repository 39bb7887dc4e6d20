package upcase.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import upcase.launch.Exit;
import upcase.probe.Transport;

/**
 * What became of the program under test: the command as run, its ports, why it could not be
 * probed (if so), how it ended, and its last lines of stderr, kept when it crashed or never answered.
 *
 * @param problem why the checks did not run (it never answered); {@code null} when they did
 * @param crashed whether it exited by itself, before the stop
 */
public record ProgramRun(String command, Map<Transport, Integer> ports, String problem, String ending, boolean crashed,
        List<String> stderrTail) {
    public ProgramRun {
        ports = Map.copyOf(ports);
        stderrTail = List.copyOf(stderrTail);
    }

    public static ProgramRun of(String command, Map<Transport, Integer> ports, String problem, Exit exit, String grace) {
        boolean crashed = exit.exitedOnItsOwn();
        // Its stderr is the student's best clue when it crashed or never answered; otherwise it is noise.
        List<String> tail = crashed || problem != null ? exit.stderrTail() : List.of();
        String ending = exit.describe(grace) + (crashed && problem == null ? ", during the probe" : "");
        return new ProgramRun(command, ports, problem, ending, crashed, tail);
    }

    /** The run in plain lines, for every format's notes: command, ports, problem, ending, stderr. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("program: " + command);
        lines.add("ports:   " + ports.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().id() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        if (problem != null) {
            lines.add("not probed: " + problem);
        }
        lines.add("ended:   " + ending);
        if (!stderrTail.isEmpty()) {
            lines.add("its stderr, last " + stderrTail.size() + " lines:");
            stderrTail.forEach(l -> lines.add("  " + l));
        }
        return lines;
    }
}
