package upcase.grade;

import java.io.PrintWriter;
import java.io.StringWriter;
import upcase.probe.Table;

/** The probe's table for people (docs/PROBE.md), followed by the score and the program's run. */
public final class TableFormat implements ReportFormat {
    @Override
    public String id() {
        return "table";
    }

    @Override
    public String extension() {
        return "txt";
    }

    @Override
    public String render(Graded graded) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Table table = new Table(out, false, graded.report().outcomes().stream().map(o -> o.check()).toList());
        if (!graded.submission().isEmpty()) {
            out.println("submission " + graded.submission());
        }
        table.header(graded.settings());
        graded.report().outcomes().forEach(table::row);
        end(table, graded, out);
        return text.toString();
    }

    /** The lines after the rows: the counts, then the score and the program's run. Also for a table printed live. */
    public static void end(Table table, Graded graded, PrintWriter out) {
        table.summary(graded.report());
        graded.notes().forEach(out::println);
        out.flush();
    }
}
