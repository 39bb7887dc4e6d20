package upcase.probe;

import java.util.List;
import upcase.json.JsonString;
import java.util.Map;

/**
 * The report for graders, as JSON. Written by hand (the format is small and fixed, and upcase
 * takes no JSON library for it); the shape is described in docs/PROBE.md. Bytes appear as their
 * length and the same escaped, cut form as in the table.
 */
public final class JsonReport {
    private final StringBuilder json = new StringBuilder();
    private final Extras extras;

    /**
     * More members for the report's object and for each check's, as raw JSON values (the caller
     * writes them, {@link JsonString#quote} escapes their strings): a grader's points, the program it ran.
     * Each member comes after the fields described in docs/PROBE.md, which do not change.
     */
    public interface Extras {
        Extras NONE = new Extras() {};

        default List<Map.Entry<String, String>> report() {
            return List.of();
        }

        default List<Map.Entry<String, String>> check(Outcome outcome) {
            return List.of();
        }
    }

    private JsonReport(Extras extras) {
        this.extras = extras;
    }

    public static String of(Settings settings, Report report) {
        return of(settings, report, Extras.NONE);
    }

    public static String of(Settings settings, Report report, Extras extras) {
        JsonReport w = new JsonReport(extras);
        w.json.append("{\n");
        w.field(1, "level", JsonString.quote(settings.level().id())).append(",\n");
        w.field(1, "timeout_ms", String.valueOf(settings.timeout().toMillis())).append(",\n");
        w.indent(1).append("\"servers\": {");
        List<Transport> transports = List.of(Transport.values());
        for (Transport t : transports) {
            var endpoint = settings.endpoints().get(t);
            w.json.append(JsonString.quote(t.id())).append(": ").append(endpoint == null ? "null" : JsonString.quote(endpoint.toString()));
            w.json.append(t == transports.getLast() ? "},\n" : ", ");
        }
        w.field(1, "passed", String.valueOf(report.count(Verdict.PASS))).append(",\n");
        w.field(1, "failed", String.valueOf(report.count(Verdict.FAIL))).append(",\n");
        w.field(1, "not_applicable", String.valueOf(report.count(Verdict.NOT_APPLICABLE))).append(",\n");
        for (var e : extras.report()) {
            w.field(1, e.getKey(), e.getValue()).append(",\n");
        }
        w.indent(1).append("\"checks\": [");
        List<Outcome> outcomes = report.outcomes();
        for (int i = 0; i < outcomes.size(); i++) {
            w.json.append(i == 0 ? "\n" : ",\n");
            w.outcome(outcomes.get(i));
        }
        w.json.append(outcomes.isEmpty() ? "]\n" : "\n" + "  ]\n").append("}\n");
        return w.json.toString();
    }

    private void outcome(Outcome o) {
        Check c = o.check();
        Result r = o.result();
        Evidence e = r.evidence();
        indent(2).append("{\n");
        field(3, "id", JsonString.quote(c.id())).append(",\n");
        field(3, "level", JsonString.quote(c.level().id())).append(",\n");
        field(3, "transport", JsonString.quote(c.transport().id())).append(",\n");
        field(3, "description", JsonString.quote(c.description())).append(",\n");
        field(3, "verdict", JsonString.quote(r.verdict().id())).append(",\n");
        field(3, "millis", String.valueOf(o.elapsed().toMillis())).append(",\n");
        field(3, "sent", e == null ? "null" : bytes(e.sent())).append(",\n");
        field(3, "expected", e == null ? "null" : bytes(e.expected())).append(",\n");
        field(3, "got", e == null || e.got() == null ? "null" : bytes(e.got())).append(",\n");
        field(3, "diagnosis", r.diagnosis() == null ? "null" : JsonString.quote(r.diagnosis()));
        for (var extra : extras.check(o)) {
            json.append(",\n");
            field(3, extra.getKey(), extra.getValue());
        }
        json.append("\n");
        indent(2).append("}");
    }

    private StringBuilder field(int depth, String name, String value) {
        return indent(depth).append(JsonString.quote(name)).append(": ").append(value);
    }

    private StringBuilder indent(int depth) {
        return json.append("  ".repeat(depth));
    }

    private static String bytes(byte[] b) {
        return "{\"length\": " + b.length + ", \"shown\": " + JsonString.quote(Escaping.show(b)) + "}";
    }
}
