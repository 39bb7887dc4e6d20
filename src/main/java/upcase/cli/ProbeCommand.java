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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import upcase.probe.Endpoint;
import upcase.probe.JsonReport;
import upcase.probe.Level;
import upcase.probe.Probe;
import upcase.probe.Report;
import upcase.probe.Settings;
import upcase.probe.Table;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {
            "Check any server that claims to speak the textbook's uppercase protocol (a student's, the textbook's own,"
                    + " upcase itself) and report, check by check, what it does right and wrong (docs/PROBE.md).",
            "Exit 0 when every check passes, 1 when one fails."
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

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "full", converter = LevelConverter.class,
            description = "textbook: what the textbook's programs must do; full: all of docs/PROTOCOL.md"
                    + " (default: ${DEFAULT-VALUE}).")
    Level level;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report to FILE as JSON, for graders.")
    Path json;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            defaultValue = "2s", description = "Wait this long for each reply (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (tcp == null && udp == null) {
            throw new ParameterException(spec.commandLine(), "give a server to probe: --tcp HOST:PORT, --udp HOST:PORT, or both");
        }
        Io io = main.io();
        Settings settings = Settings.of(tcp, udp, level, timeout);
        Probe probe = Probe.of(settings);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(io.stdout(), StandardCharsets.UTF_8));
        Table table = new Table(out, io.interactive(), probe.checks());
        table.header(settings);
        Report report = probe.run(table::row);
        table.summary(report);
        if (json != null && !writeJson(settings, report, io)) {
            return Main.FAILURE;
        }
        return report.allPassed() ? Main.OK : Main.FAILURE;
    }

    private boolean writeJson(Settings settings, Report report, Io io) {
        try {
            Files.writeString(json, JsonReport.of(settings, report), StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            String why = switch (e) {
                case NoSuchFileException missing -> "no such directory";
                case AccessDeniedException denied -> "permission denied";
                default -> Failures.describe(e);
            };
            io.stderr().println("upcase: cannot write " + json + ": " + why);
            return false;
        }
    }

    static final class EndpointConverter implements ITypeConverter<Endpoint> {
        @Override
        public Endpoint convert(String value) {
            try {
                return Endpoint.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LevelConverter implements ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            try {
                return Level.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
