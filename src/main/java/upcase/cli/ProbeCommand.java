package upcase.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import upcase.grade.ClassGrading;
import upcase.grade.ClassSummary;
import upcase.grade.Formats;
import upcase.grade.Graded;
import upcase.grade.Grader;
import upcase.grade.Points;
import upcase.grade.ReportFormat;
import upcase.grade.TableFormat;
import upcase.launch.CommandTemplate;
import upcase.launch.LaunchConfig;
import upcase.probe.Endpoint;
import upcase.probe.JsonReport;
import upcase.probe.Level;
import upcase.probe.Probe;
import upcase.probe.Report;
import upcase.probe.Settings;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {
            "Check any server that claims to speak the textbook's uppercase protocol (a student's, the textbook's own,"
                    + " upcase itself) and report, check by check, what it does right and wrong (docs/PROBE.md).",
            "With --run it starts the program itself, and grades it: points per check, reports for autograders,"
                    + " a whole class with --each.",
            "Exit 0 when every check passes, 1 when one fails (with --each: 0 when every submission got its report)."
        })
final class ProbeCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--tcp", paramLabel = "HOST:PORT", converter = EndpointConverter.class,
            description = "The TCP server to probe (an IPv6 address in brackets: [::1]:6789).")
    Endpoint tcp;

    @Option(names = "--udp", paramLabel = "HOST:PORT", converter = EndpointConverter.class,
            description = "The UDP server to probe.")
    Endpoint udp;

    @Option(names = "--run", paramLabel = "COMMAND", converter = CommandConverter.class,
            description = "Start the program to probe with /bin/sh: {tcp} and {udp} become free ports probed over TCP and"
                    + " UDP, {port} one port probed over both, {dir} the submission's directory (with --each).")
    CommandTemplate run;

    @Option(names = "--each", paramLabel = "DIR", arity = "1..*",
            description = "With --run: grade each directory's program (a submission); reports go to --output DIR.")
    List<Path> each;

    @Option(names = "--parallel", paramLabel = "N", converter = CountConverter.class, defaultValue = "1",
            description = "With --each: grade N submissions at a time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--start-timeout", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            defaultValue = "20s", description = "With --run: how long the program may take to answer on its ports"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration startTimeout;

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "full", converter = LevelConverter.class,
            description = "textbook: what the textbook's programs must do; full: all of docs/PROTOCOL.md"
                    + " (default: ${DEFAULT-VALUE}).")
    Level level;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", converter = FormatConverter.class,
            description = "table, json, junit, gradescope, tap or html (a page; default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--output", paramLabel = "PATH", description = "Write the report in --format to this file"
            + " (the table still goes to standard output); with --each, the directory for the reports and the summary.")
    Path output;

    @Option(names = "--points", paramLabel = "FILE",
            description = "Points per check: lines of CHECK-ID = POINTS, * a wildcard (default: 10 a textbook check, 1 any other).")
    Path pointsFile;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report to FILE as JSON, for graders.")
    Path json;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            defaultValue = "2s", description = "Wait this long for each reply (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    TlsClientOptions tls;

    @Override
    public Integer call() throws Exception {
        validate();
        Io io = main.io();
        Points points = points();
        if (each != null) {
            return grade(io, new ClassGrading(grader(points), format, parallel));
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(io.stdout(), StandardCharsets.UTF_8));
        // The table is printed live unless the chosen format goes to standard output in its place.
        boolean live = format instanceof TableFormat || output != null;
        LiveTable table = new LiveTable(out, io.interactive(), level);
        Grader.Progress progress = live ? table : Grader.Progress.NONE;
        Graded graded;
        if (run != null) {
            graded = grader(points).grade("", Path.of("."), progress);
        } else {
            Settings settings = Settings.of(tcp, udp, level, timeout).withTls(tls.settings());
            Probe probe = Probe.of(settings);
            progress.probing(settings);
            Report report = probe.run(progress::outcome);
            graded = new Graded("", settings, report, points, null);
        }
        boolean scored = run != null || pointsFile != null || output != null || !(format instanceof TableFormat);
        if (live) {
            table.end(graded, scored);
        } else {
            out.print(format.render(graded));
            out.flush();
        }
        boolean written = (output == null || write(output, format.render(graded), io))
                && (json == null || write(json, scored ? Formats.byId("json").render(graded)
                        : JsonReport.of(graded.settings(), graded.report()), io));
        return written && graded.report().allPassed() ? Main.OK : Main.FAILURE;
    }

    private void validate() {
        if (run != null && (tcp != null || udp != null)) {
            throw usage("--run starts the server itself: give --run or --tcp/--udp, not both");
        }
        if (run == null && tcp == null && udp == null) {
            throw usage("give a server to probe: --tcp HOST:PORT, --udp HOST:PORT, or both; or a program to start: --run COMMAND");
        }
        if (each != null && run == null) {
            throw usage("--each grades each directory's program: give the command with --run 'COMMAND {dir} {port}'");
        }
        if (each != null && output == null) {
            throw usage("--each writes one report per submission: give the directory for them with --output DIR");
        }
        if (each != null && json != null) {
            throw usage("--json is for one report: with --each use --format json");
        }
        if (tls.settings() != null && tcp == null && run == null) {
            throw usage("--tls is for the TCP server: give --tcp HOST:PORT");
        }
        if (each == null && spec.commandLine().getParseResult().hasMatchedOption("--parallel")) {
            throw usage("--parallel is for --each");
        }
        if (each != null) {
            try {
                ClassGrading.names(each);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
    }

    private Grader grader(Points points) {
        return new Grader(run, level, timeout, LaunchConfig.defaults().withStartTimeout(startTimeout), points,
                tls.settings());
    }

    private Points points() {
        if (pointsFile == null) {
            return Points.defaults();
        }
        String text;
        try {
            text = Files.readString(pointsFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw usage("cannot read " + pointsFile + ": " + why(e));
        }
        try {
            return Points.parse(text, pointsFile.toString());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private int grade(Io io, ClassGrading grading) throws InterruptedException {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(io.stdout(), StandardCharsets.UTF_8), true);
        ClassSummary summary;
        try {
            summary = grading.run(each, output, row -> out.println("graded " + row.submission()
                    + (row.score().isEmpty() ? ": " + row.note() : ": " + row.score() + "/" + row.max())));
        } catch (IOException e) {
            io.stderr().println("upcase: cannot write the reports to " + output + ": " + why(e));
            return Main.FAILURE;
        }
        out.println();
        out.print(summary.text());
        out.println();
        out.println("reports, " + ClassGrading.SUMMARY_TEXT + ", " + ClassGrading.SUMMARY_CSV + " and "
                + ClassGrading.SUMMARY_HTML + " in " + output);
        out.flush();
        boolean allGraded = summary.rows().stream().noneMatch(r -> r.score().isEmpty());
        return allGraded ? Main.OK : Main.FAILURE;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static boolean write(Path file, String text, Io io) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            io.stderr().println("upcase: cannot write " + file + ": " + why(e));
            return false;
        }
    }

    private static String why(IOException e) {
        return switch (e) {
            case NoSuchFileException missing -> "no such directory";
            case AccessDeniedException denied -> "permission denied";
            default -> Failures.describe(e);
        };
    }

    /** A converter from a parser whose IllegalArgumentException says, fit for a user, what is wrong. */
    abstract static class ParsingConverter<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        ParsingConverter(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class EndpointConverter extends ParsingConverter<Endpoint> {
        EndpointConverter() {
            super(Endpoint::parse);
        }
    }

    static final class LevelConverter extends ParsingConverter<Level> {
        LevelConverter() {
            super(Level::parse);
        }
    }

    static final class FormatConverter extends ParsingConverter<ReportFormat> {
        FormatConverter() {
            super(Formats::byId);
        }
    }

    static final class CommandConverter extends ParsingConverter<CommandTemplate> {
        CommandConverter() {
            super(CommandTemplate::new);
        }
    }
}
