package upcase.grade;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import upcase.launch.CommandTemplate;
import upcase.launch.Exit;
import upcase.launch.LaunchConfig;
import upcase.launch.Program;
import upcase.probe.Endpoint;
import upcase.probe.Level;
import upcase.probe.Outcome;
import upcase.probe.Probe;
import upcase.probe.Report;
import upcase.probe.Settings;
import upcase.probe.Timing;
import upcase.probe.Transport;
import upcase.tls.ClientTlsSettings;

/**
 * Grades one submission: starts its program, probes it once its ports answer, stops it, and
 * scores the report. A program that never answers gets a report all the same, every check failed
 * with the reason. Safe to use from several threads at once: each call has its own program and ports.
 *
 * @param command what starts a submission's program
 * @param timeout the probe's wait for each reply
 * @param tls with {@code --tls}, how the TCP checks speak TLS to the program (null: plain TCP); its
 *     certificate is checked for 127.0.0.1, where it is probed, unless the settings name another
 */
public record Grader(CommandTemplate command, Level level, Duration timeout, LaunchConfig launch, Points points,
        ClientTlsSettings tls) {
    public Grader {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(launch, "launch");
        Objects.requireNonNull(points, "points");
    }

    /** What a caller sees while a submission is graded: the settings once the ports are known, then each outcome. */
    public interface Progress {
        Progress NONE = new Progress() {};

        default void probing(Settings settings) {}

        default void outcome(Outcome outcome) {}
    }

    /**
     * @param submission its name in the reports
     * @param dir the submission's directory: {@code {dir}} in the command, and its working directory
     * @throws IOException when the program cannot be started at all (no {@code setsid}, no such directory)
     */
    public Graded grade(String submission, Path dir, Progress progress) throws IOException, InterruptedException {
        Program.Started started = Program.start(command, dir, launch);
        try (Program program = started.program()) {
            Settings settings = settings(program.ports());
            progress.probing(settings);
            Consumer<Outcome> each = progress::outcome;
            Probe probe = Probe.of(settings).absentBecause(t -> "not run: the command has no {" + t.id() + "} port");
            Report report = started.problem() == null ? probe.run(each) : probe.notRun(started.problem(), each);
            Exit exit = program.stop();
            ProgramRun run = ProgramRun.of(program.command(), program.ports(), started.problem(), exit,
                    Timing.format(launch.stopGrace()));
            return new Graded(submission, settings, report, points, run);
        }
    }

    private Settings settings(Map<Transport, Integer> ports) {
        Integer tcp = ports.get(Transport.TCP);
        Integer udp = ports.get(Transport.UDP);
        // 127.0.0.1: where the program was seen to answer (launch's readiness asks there too).
        Settings settings = Settings.of(tcp == null ? null : new Endpoint("127.0.0.1", tcp),
                udp == null ? null : new Endpoint("127.0.0.1", udp), level, timeout);
        return tcp == null ? settings : settings.withTls(tls);
    }
}
