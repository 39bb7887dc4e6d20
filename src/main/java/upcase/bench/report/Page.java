package upcase.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import upcase.html.Html;
import upcase.bench.Json;

/**
 * One self-contained HTML page: a template from this package's resources with uPlot's script
 * and style sheet (from its WebJar on the classpath) and the page's data inlined, so that it
 * opens from a file with no request leaving it (its Content-Security-Policy forbids any).
 * Loaded only when a report is asked for: nothing on the client or server path refers to it.
 */
final class Page {
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";

    private Page() {}

    /**
     * The template {@code name} with {@code {{HEAD}}} (head.html: the policy, uPlot's style sheet,
     * the shared styles), {@code {{TITLE}}}, {@code {{SCRIPTS}}} (uPlot and charts.js) and
     * {@code {{DATA}}} (the JSON text of {@code data}, safe inside a script element) filled in.
     */
    static String render(String name, String title, Object data) {
        String version = uplotVersion();
        // Every '<' in the data becomes \u003c (only strings can hold one, where the escape is valid
        // JSON), so no text in a run's JSON can close the script element it sits in.
        String json = Json.write(data).replace("<", "\\u003c");
        String scripts = "<script>\n" + resource("/" + WEBJAR + version + "/dist/uPlot.iife.min.js") + "\n</script>\n"
                + "<script>\n" + resource("charts.js") + "\n</script>";
        String head = resource("head.html")
                .replace("/*{{UPLOT_CSS}}*/", resource("/" + WEBJAR + version + "/dist/uPlot.min.css"))
                .replace("{{UPLOT_VERSION}}", version);
        return resource(name).replace("{{HEAD}}", head)
                .replace("{{TITLE}}", escape(title))
                .replace("{{SCRIPTS}}", scripts)
                .replace("{{DATA}}", json);
    }

    /** Text for HTML element content and attribute values. */
    static String escape(String s) {
        return Html.escape(s);
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = Page.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("uPlot's WebJar is not on the classpath (a broken build)");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    /** A resource of this package, or with a leading '/' any on the classpath (uPlot's WebJar). */
    private static String resource(String name) {
        return Html.resource(Page.class, name);
    }
}
