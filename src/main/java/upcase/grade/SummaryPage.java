package upcase.grade;

import static upcase.grade.HtmlPage.escape;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The class summary as a page ({@code summary.html}, docs/PROBE.md): one row per submission,
 * coloured full marks / partial / zero, linking to its own report; sortable by any column (a
 * click on its header, or {@code #sort=-score} in the URL: summary.js).
 */
final class SummaryPage {
    private SummaryPage() {}

    /** @param extension the submissions' reports' ({@code NAME.EXT} beside the summary) */
    static String render(ClassSummary summary, String extension) {
        StringBuilder body = new StringBuilder();
        body.append("<p class=\"note key\">").append(summary.rows().size()).append(" submissions.")
                .append(" Click a column's header to sort by it (again to turn the order round).")
                .append(" <span class=\"full\">full marks</span><span class=\"partial\">partial</span>")
                .append("<span class=\"zero\">zero</span><span class=\"ungraded\">not graded</span></p>\n");
        body.append("<table id=\"submissions\">\n<thead><tr>")
                .append("<th data-key=\"submission\" data-type=\"text\">submission</th>")
                .append("<th data-key=\"score\" data-type=\"number\" class=\"num\">score</th>")
                .append("<th data-key=\"failed\" data-type=\"number\" class=\"num\">checks failed</th>")
                .append("<th>failed</th><th data-key=\"note\" data-type=\"text\">note</th></tr></thead>\n<tbody>\n");
        for (ClassSummary.Row r : summary.rows()) {
            boolean graded = !r.score().isEmpty();
            String name = escape(r.submission());
            String link = graded ? "<a href=\"" + escape(href(r.submission(), extension)) + "\">" + name + "</a>" : name;
            body.append("<tr class=\"").append(kind(r)).append("\">")
                    .append("<td data-value=\"").append(name).append("\">").append(link).append("</td>")
                    // not graded sorts below a zero
                    .append("<td class=\"num\" data-value=\"").append(graded ? r.score() : "-1").append("\">")
                    .append(graded ? r.score() + "/" + r.max() : "").append("</td>")
                    .append("<td class=\"num\" data-value=\"").append(r.failed().size()).append("\">")
                    .append(r.failed().size()).append("</td>")
                    .append("<td><code>").append(escape(String.join(" ", r.failed()))).append("</code></td>")
                    .append("<td data-value=\"").append(escape(r.note())).append("\">").append(escape(r.note()))
                    .append("</td></tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return HtmlPage.render("upcase probe: class summary", body.toString(), HtmlPage.resource("summary.js"));
    }

    private static String kind(ClassSummary.Row r) {
        if (r.score().isEmpty()) {
            return "ungraded";
        }
        BigDecimal score = new BigDecimal(r.score());
        if (score.signum() == 0) {
            return "zero";
        }
        return score.compareTo(new BigDecimal(r.max())) >= 0 ? "full" : "partial";
    }

    /** A relative link to the report beside the summary; every character of the name that is not a letter or digit encoded. */
    private static String href(String submission, String extension) {
        return URLEncoder.encode(submission + "." + extension, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
