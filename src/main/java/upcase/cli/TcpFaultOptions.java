package upcase.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import upcase.fault.Faults;

/** The TCP server's fault knobs (docs/PROTOCOL.md §Faults): end connections after N lines. */
final class TcpFaultOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--close-after", paramLabel = "N", converter = CountConverter.class,
            description = "Fault knob: close each TCP connection (FIN) once its first N lines are answered.")
    Integer closeAfter;

    @Option(names = "--reset-after", paramLabel = "N", converter = CountConverter.class,
            description = "Fault knob: reset each TCP connection (RST) once its first N lines are answered.")
    Integer resetAfter;

    int closeAfter() {
        return closeAfter == null ? Faults.NO_LINE_LIMIT : closeAfter;
    }

    int resetAfter() {
        return resetAfter == null ? Faults.NO_LINE_LIMIT : resetAfter;
    }

    CommandLine commandLine() {
        return spec.commandLine();
    }
}
