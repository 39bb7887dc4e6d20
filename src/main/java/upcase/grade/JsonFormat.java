package upcase.grade;

import static upcase.json.JsonString.quote;

import upcase.json.JsonString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import upcase.probe.JsonReport;
import upcase.probe.Outcome;

/**
 * The probe's JSON report (docs/PROBE.md), with the points: {@code submission}, {@code score},
 * {@code max_score} and {@code program} in the report, {@code points} and {@code max_points} in each check.
 */
public final class JsonFormat implements ReportFormat {
    @Override
    public String id() {
        return "json";
    }

    @Override
    public String extension() {
        return "json";
    }

    @Override
    public String render(Graded graded) {
        return JsonReport.of(graded.settings(), graded.report(), new JsonReport.Extras() {
            @Override
            public List<Map.Entry<String, String>> report() {
                return List.of(
                        Map.entry("submission", graded.submission().isEmpty() ? "null" : quote(graded.submission())),
                        Map.entry("score", Points.show(graded.score())),
                        Map.entry("max_score", Points.show(graded.maxScore())),
                        Map.entry("program", program(graded.program())));
            }

            @Override
            public List<Map.Entry<String, String>> check(Outcome o) {
                return List.of(
                        Map.entry("points", Points.show(graded.earned(o))),
                        Map.entry("max_points", Points.show(graded.max(o))));
            }
        });
    }

    private static String program(ProgramRun run) {
        if (run == null) {
            return "null";
        }
        List<String> ports = new ArrayList<>();
        run.ports().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> ports.add(quote(e.getKey().id()) + ": " + e.getValue()));
        List<String> tail = run.stderrTail().stream().map(JsonString::quote).toList();
        return "{\"command\": " + quote(run.command())
                + ", \"ports\": {" + String.join(", ", ports) + "}"
                + ", \"not_probed\": " + (run.problem() == null ? "null" : quote(run.problem()))
                + ", \"ended\": " + quote(run.ending())
                + ", \"crashed\": " + run.crashed()
                + ", \"stderr_tail\": [" + String.join(", ", tail) + "]}";
    }
}
