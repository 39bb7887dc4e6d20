package upcase.grade;

import static upcase.grade.HtmlPage.escape;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import upcase.probe.Escaping;
import upcase.probe.Evidence;
import upcase.probe.Outcome;
import upcase.probe.Result;
import upcase.probe.Timing;
import upcase.probe.Transport;
import upcase.probe.Verdict;

/**
 * The report as one self-contained HTML page (docs/PROBE.md): what was probed, the score, and the
 * checks as a table coloured by verdict, each failure with its fault and its evidence, the bytes
 * shown as the table shows them ({@link Escaping}) and then escaped for HTML.
 */
public final class HtmlFormat implements ReportFormat {
    @Override
    public String id() {
        return "html";
    }

    @Override
    public String extension() {
        return "html";
    }

    @Override
    public String render(Graded graded) {
        String title = "upcase probe" + (graded.submission().isEmpty() ? "" : ": " + graded.submission());
        StringBuilder body = new StringBuilder();
        body.append("<dl class=\"about\">\n");
        about(body, "score", "<span class=\"score\" id=\"score\">" + Points.show(graded.score()) + "/"
                + Points.show(graded.maxScore()) + "</span>");
        about(body, "checks", escape(graded.report().summary()) + ", " + graded.report().count(Verdict.NOT_APPLICABLE)
                + " not applicable");
        about(body, "level", escape(graded.settings().level().id()));
        about(body, "servers", escape(graded.settings().endpoints().entrySet().stream()
                .map(e -> e.getKey().id() + " " + e.getValue()).collect(Collectors.joining(", "))));
        about(body, "wait", escape(Timing.format(graded.settings().timeout())) + " per reply");
        ProgramRun run = graded.program();
        if (run != null) {
            about(body, "program", "<code>" + escape(run.command()) + "</code>");
            if (run.problem() != null) {
                about(body, "not probed", escape(run.problem()));
            }
            about(body, "ended", escape(run.ending()));
        }
        body.append("</dl>\n");
        if (run != null && !run.stderrTail().isEmpty()) {
            body.append("<h2>its stderr, last ").append(run.stderrTail().size()).append(" lines</h2>\n<pre class=\"stderr\">")
                    .append(escape(String.join("\n", run.stderrTail()))).append("</pre>\n");
        }
        body.append("<h2>checks</h2>\n<table id=\"checks\">\n<thead><tr><th>verdict</th><th>check</th><th>what it proves</th>"
                + "<th class=\"num\">points</th></tr></thead>\n<tbody>\n");
        // One row for all the checks of a transport that was not given, as in the table: they share the reason.
        Set<Transport> notApplicable = EnumSet.noneOf(Transport.class);
        for (Outcome o : graded.report().outcomes()) {
            if (o.result().verdict() != Verdict.NOT_APPLICABLE || notApplicable.add(o.check().transport())) {
                row(body, graded, o);
            }
        }
        body.append("</tbody>\n</table>\n");
        return HtmlPage.render(title, body.toString(), HtmlPage.resource("probe.js"));
    }

    private static void about(StringBuilder body, String label, String html) {
        body.append("<dt>").append(label).append("</dt><dd>").append(html).append("</dd>\n");
    }

    private static final Map<Verdict, String> CLASS = Map.of(Verdict.PASS, "pass", Verdict.FAIL, "fail",
            Verdict.NOT_APPLICABLE, "na");
    private static final Map<Verdict, String> WORD = Map.of(Verdict.PASS, "pass", Verdict.FAIL, "FAIL",
            Verdict.NOT_APPLICABLE, "n/a");

    private static void row(StringBuilder body, Graded graded, Outcome o) {
        Result r = o.result();
        boolean na = r.verdict() == Verdict.NOT_APPLICABLE;
        String id = na ? o.check().transport().id() + ".*" : o.check().id();
        body.append("<tr class=\"check ").append(CLASS.get(r.verdict())).append("\" id=\"").append(escape(id))
                .append("\"><td><span class=\"verdict\">").append(WORD.get(r.verdict())).append("</span></td><td><code>")
                .append(escape(id)).append("</code></td><td>").append(escape(na ? r.diagnosis() : o.check().description()));
        if (r.verdict() == Verdict.FAIL) {
            body.append("\n<dl class=\"evidence\">");
            Evidence e = r.evidence();
            if (e != null) {
                evidence(body, "sent", Escaping.show(e.sent()));
                evidence(body, "expected", Escaping.show(e.expected()));
                evidence(body, "got", e.got() == null ? "(nothing)" : Escaping.show(e.got()));
            }
            body.append("<dt>fault</dt><dd class=\"fault\">").append(escape(r.diagnosis())).append("</dd></dl>");
        }
        body.append("</td><td class=\"num\">").append(na ? ""
                : Points.show(graded.earned(o)) + "/" + Points.show(graded.max(o))).append("</td></tr>\n");
    }

    private static void evidence(StringBuilder body, String label, String shown) {
        body.append("<dt>").append(label).append("</dt><dd class=\"").append(label).append("\"><code>")
                .append(escape(shown)).append("</code></dd>");
    }
}
