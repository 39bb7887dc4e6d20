package upcase.cli;

import java.io.PrintWriter;
import upcase.grade.Graded;
import upcase.grade.Grader;
import upcase.grade.TableFormat;
import upcase.probe.Checks;
import upcase.probe.Level;
import upcase.probe.Outcome;
import upcase.probe.Settings;
import upcase.probe.Table;

/**
 * The probe's table printed as the checks finish: its header once the servers are known (with
 * {@code --run}, once the program listens), a row per outcome, the end once graded. Called from
 * the grading thread only.
 */
final class LiveTable implements Grader.Progress {
    private final PrintWriter out;
    private final boolean colour;
    private final Level level;
    private Table table;

    LiveTable(PrintWriter out, boolean colour, Level level) {
        this.out = out;
        this.colour = colour;
        this.level = level;
    }

    @Override
    public void probing(Settings settings) {
        table = new Table(out, colour, Checks.at(level, settings.tls() != null));
        table.header(settings);
    }

    @Override
    public void outcome(Outcome outcome) {
        table.row(outcome);
    }

    /** The counts, then (when {@code scored}) the score and the program's run; plain probes end as they always have. */
    void end(Graded graded, boolean scored) {
        if (scored) {
            TableFormat.end(table, graded, out);
        } else {
            table.summary(graded.report());
        }
    }
}
