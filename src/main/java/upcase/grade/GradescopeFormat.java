package upcase.grade;

import static upcase.json.JsonString.quote;

import upcase.json.JsonString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import upcase.probe.Outcome;
import upcase.probe.Table;
import upcase.probe.Verdict;

/**
 * Gradescope's {@code results.json} (its autograder specification): {@code score}, {@code
 * execution_time}, {@code output}, {@code stdout_visibility} and {@code tests}, each test with
 * {@code name}, {@code score}, {@code max_score}, {@code status}, {@code output} and {@code
 * visibility}. Only the checks that applied are tests. Every test is visible: the diagnosis is
 * the feedback the student needs.
 */
public final class GradescopeFormat implements ReportFormat {
    @Override
    public String id() {
        return "gradescope";
    }

    @Override
    public String extension() {
        return "json";
    }

    @Override
    public String render(Graded graded) {
        List<String> tests = new ArrayList<>();
        for (Outcome o : graded.graded()) {
            boolean passed = o.result().verdict() == Verdict.PASS;
            String output = passed ? "pass" : String.join("\n", Table.details(o.result()));
            tests.add("    {\"name\": " + quote(o.check().id() + ": " + o.check().description())
                    + ", \"score\": " + Points.show(graded.earned(o))
                    + ", \"max_score\": " + Points.show(graded.max(o))
                    + ", \"status\": " + quote(passed ? "passed" : "failed")
                    + ", \"output\": " + quote(output)
                    + ", \"visibility\": \"visible\"}");
        }
        Duration time = graded.report().outcomes().stream().map(Outcome::elapsed).reduce(Duration.ZERO, Duration::plus);
        return "{\n"
                + "  \"score\": " + Points.show(graded.score()) + ",\n"
                + "  \"execution_time\": " + String.format(Locale.ROOT, "%.3f", time.toNanos() / 1e9) + ",\n"
                + "  \"output\": " + quote(graded.report().summary() + "\n" + String.join("\n", graded.notes())) + ",\n"
                + "  \"stdout_visibility\": \"visible\",\n"
                + "  \"tests\": [" + (tests.isEmpty() ? "" : "\n" + String.join(",\n", tests) + "\n  ") + "]\n"
                + "}\n";
    }
}
