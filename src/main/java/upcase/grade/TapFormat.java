package upcase.grade;

import upcase.json.JsonString;
import java.util.List;
import upcase.probe.JsonReport;
import upcase.probe.Outcome;
import upcase.probe.Table;

/**
 * TAP version 13 (testanything.org), what {@code prove} and TAP consumers read: the plan
 * {@code 1..N}, one {@code ok}/{@code not ok} line per check, a check that did not apply as
 * {@code ok ... # SKIP why}; a failure followed by a YAML block (its message, the evidence
 * lines and the points), the score and the program's run as {@code #} comments at the end.
 * Version 13, not 14: Perl's TAP::Harness, the most common consumer, refuses 14.
 */
public final class TapFormat implements ReportFormat {
    @Override
    public String id() {
        return "tap";
    }

    @Override
    public String extension() {
        return "tap";
    }

    @Override
    public String render(Graded graded) {
        List<Outcome> outcomes = graded.report().outcomes();
        StringBuilder tap = new StringBuilder("TAP version 13\n1..").append(outcomes.size()).append('\n');
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            // A description must not hold '#' (it starts a directive): the ids and descriptions never do.
            String name = (i + 1) + " - " + o.check().id() + ": " + o.check().description().replace('#', ' ');
            switch (o.result().verdict()) {
                case PASS -> tap.append("ok ").append(name).append('\n');
                case NOT_APPLICABLE -> tap.append("ok ").append(name).append(" # SKIP ")
                        .append(o.result().diagnosis().replace('\n', ' ')).append('\n');
                case FAIL -> {
                    tap.append("not ok ").append(name).append('\n');
                    tap.append("  ---\n");
                    // JSON strings are YAML double-quoted scalars: escaping done once, for both.
                    tap.append("  message: ").append(JsonString.quote(o.result().diagnosis())).append('\n');
                    tap.append("  evidence:\n");
                    Table.details(o.result()).forEach(d -> tap.append("    - ").append(JsonString.quote(d)).append('\n'));
                    tap.append("  points: ").append(Points.show(graded.earned(o))).append('\n');
                    tap.append("  max_points: ").append(Points.show(graded.max(o))).append('\n');
                    tap.append("  ...\n");
                }
            }
        }
        tap.append("# ").append(graded.report().summary()).append('\n');
        graded.notes().forEach(n -> tap.append("# ").append(n.replace("\n", " ")).append('\n'));
        return tap.toString();
    }
}
