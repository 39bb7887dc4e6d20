package upcase.grade;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import upcase.probe.Outcome;
import upcase.probe.Report;
import upcase.probe.Settings;
import upcase.probe.Verdict;

/**
 * A probe's report with its points: what every format writes.
 *
 * @param submission the name of what was graded (a submission's directory name), shown in reports
 * @param program the program the probe started, {@code null} when it probed a running server
 */
public record Graded(String submission, Settings settings, Report report, Points points, ProgramRun program) {
    public Graded {
        Objects.requireNonNull(submission, "submission");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(points, "points");
    }

    /** What a check can earn: its points, none when it did not apply (its transport was not asked for). */
    public BigDecimal max(Outcome o) {
        return o.result().verdict() == Verdict.NOT_APPLICABLE ? BigDecimal.ZERO : points.of(o.check());
    }

    /** What a check earned: all of its points on a pass, none otherwise. */
    public BigDecimal earned(Outcome o) {
        return o.result().verdict() == Verdict.PASS ? points.of(o.check()) : BigDecimal.ZERO;
    }

    public BigDecimal score() {
        return report.outcomes().stream().map(this::earned).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public BigDecimal maxScore() {
        return report.outcomes().stream().map(this::max).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The checks that applied: what graders list (the others earn nothing and cost nothing). */
    public List<Outcome> graded() {
        return report.outcomes().stream().filter(o -> o.result().verdict() != Verdict.NOT_APPLICABLE).toList();
    }

    public List<Outcome> failed() {
        return report.outcomes().stream().filter(o -> o.result().verdict() == Verdict.FAIL).toList();
    }

    /** {@code score 34/64}. */
    public String scoreLine() {
        return "score " + Points.show(score()) + "/" + Points.show(maxScore());
    }

    /** The report's closing lines, in every format's notes: the score and the program's run. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add(scoreLine());
        if (program != null) {
            notes.addAll(program.lines());
        }
        return notes;
    }
}
