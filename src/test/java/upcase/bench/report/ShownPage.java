package upcase.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import upcase.support.Chromium;

/**
 * A report page as Chromium showed it: the DOM after the scripts ran and what the page wrote into
 * {@code #shown} (each chart's title, axis tick labels and legend; values it printed). Opening it
 * checks what every page must do: draw without a script error or a console error, make no request,
 * and look like something (a screenshot, kept in target/screenshots).
 */
public record ShownPage(String dom, Map<?, ?> shown) {
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    public static ShownPage open(Chromium chromium, Path page, String name) throws Exception {
        String html = Files.readString(page);
        // Self-contained: nothing the page would load, and a policy that forbids loading anything.
        assertThat(html).doesNotContainPattern("<(script|link|img|iframe)[^>]+(src|href)=")
                .contains("Content-Security-Policy", "default-src 'none'");
        Chromium.Page opened = chromium.dumpDom(page);
        assertThat(opened.dom()).contains("data-ready=\"true\"", "data-errors=\"0\"");
        assertThat(opened.consoleErrors()).isEmpty();
        Matcher m = Pattern.compile("<pre id=\"shown\"[^>]*>([^<]*)</pre>").matcher(opened.dom());
        assertThat(m.find()).as("#shown in the DOM").isTrue();
        String text = m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        Map<?, ?> shown = (Map<?, ?>) JsonReader.parse(text);
        assertThat((List<?>) shown.get("errors")).isEmpty();
        assertThat(shown.get("resources")).as("requests the page made").isEqualTo(0.0);

        Files.createDirectories(SCREENSHOTS);
        Path png = SCREENSHOTS.resolve(name + ".png");
        chromium.screenshot(page, png, 1100, 2400);
        assertThat(Files.size(png)).as("a screenshot with something in it").isGreaterThan(20_000);
        return new ShownPage(opened.dom(), shown);
    }

    /** A number as the pages print it: grouped thousands, at most one decimal. */
    static String asShown(double value) {
        return new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.US)).format(value);
    }

    Map<?, ?> charts() {
        return (Map<?, ?>) shown.get("charts");
    }

    List<String> chartIds() {
        return strings(List.copyOf(charts().keySet()));
    }

    Map<?, ?> chart(String id) {
        assertThat(chartIds()).as("charts on the page").contains(id);
        return (Map<?, ?>) charts().get(id);
    }

    List<String> legend(String id) {
        return strings(chart(id).get("legend"));
    }

    List<String> xTicks(String id) {
        return strings(chart(id).get("xTicks"));
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    public Map<?, ?> values() {
        return (Map<?, ?>) shown.get("values");
    }

    /** The text of a table cell, by its run's label and its row. */
    String cell(String run, String row) {
        Matcher m = Pattern.compile("data-run=\"" + Pattern.quote(run) + "\" data-row=\"" + Pattern.quote(row) + "\">([^<]*)<")
                .matcher(dom);
        assertThat(m.find()).as("cell %s / %s", run, row).isTrue();
        return m.group(1);
    }
}
