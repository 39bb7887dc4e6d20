package upcase.grade;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import upcase.html.Html;

/**
 * One self-contained HTML page of the grader's (a probe's report, a class summary): inline style
 * and script from this package's resources, and a Content-Security-Policy that forbids any request
 * and lets only the page's own script run (its SHA-256 is in the policy). Every text that came from
 * a submission (its name, its server's replies, its stderr) goes through {@link #escape}: a reply
 * of {@code <script>} is shown as those characters, and were one ever missed, the policy would
 * still refuse to run it.
 */
final class HtmlPage {
    private HtmlPage() {}

    /**
     * The page: {@code body} (HTML) after a heading of {@code title}, then page.js (which writes
     * what the page shows into {@code #shown}) and {@code script} (more of the page's own script, or empty).
     */
    static String render(String title, String body, String script) {
        String js = resource("page.js") + script;
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <!-- Self-contained: everything is inline; this policy forbids any request and any script but the page's own. -->
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src '%s'; style-src 'unsafe-inline'; img-src data:">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="generator" content="upcase probe">
                <title>%s</title>
                <style>
                %s</style>
                </head>
                <body>
                <h1>%s</h1>
                %s
                <pre id="shown" hidden></pre>
                <script>%s</script>
                </body>
                </html>
                """.formatted(sha256(js), escape(title), resource("page.css"), escape(title), body, js);
    }

    /** Text for HTML element content and attribute values. */
    static String escape(String s) {
        return Html.escape(s);
    }

    private static String sha256(String script) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A resource of this package: the pages' style sheet and scripts. */
    static String resource(String name) {
        return Html.resource(HtmlPage.class, name);
    }
}
