package upcase.grade;

import java.util.List;
import java.util.stream.Collectors;

/** Every report format upcase writes; {@code --format} takes their ids. */
public final class Formats {
    public static final List<ReportFormat> ALL = List.of(
            new TableFormat(), new JsonFormat(), new JunitFormat(), new GradescopeFormat(), new TapFormat(),
            new HtmlFormat());

    private Formats() {}

    /** @throws IllegalArgumentException naming the formats there are */
    public static ReportFormat byId(String id) {
        return ALL.stream()
                .filter(f -> f.id().equals(id.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + id + "' is not a format (" + ids() + ")"));
    }

    /** {@code table, json, junit, gradescope, tap, html}. */
    public static String ids() {
        return ALL.stream().map(ReportFormat::id).collect(Collectors.joining(", "));
    }
}
