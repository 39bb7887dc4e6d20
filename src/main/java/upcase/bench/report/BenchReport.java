package upcase.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code upcase bench ... --report FILE.html [--compare OTHER.json ...]}: a run's page, with its
 * parameters and verdict, its latency distribution on HdrHistogram's percentile axis, and its
 * progress seconds over time; other runs' {@code --json} files overlaid, one legend entry each.
 * The page's script draws the charts from the runs' JSON (uPlot); see docs/BENCH.md.
 */
public final class BenchReport {
    private BenchReport() {}

    /** A compare file that is not a bench run's JSON: one line, naming the file. */
    public static final class BadCompareFile extends IOException {
        BadCompareFile(Path file, String why) {
            super(file + ": not an 'upcase bench --json' file (" + why + ")");
        }
    }

    /**
     * Writes the page for the run whose {@code --json} text is {@code json}, labelled
     * {@code label}, with the runs of {@code compare} overlaid (labelled by file name).
     */
    public static void write(Path file, String label, String json, List<Path> compare) throws IOException {
        List<Object> runs = new ArrayList<>();
        runs.add(run(label, parse(json, Path.of(label))));
        for (Path other : compare) {
            String name = other.getFileName().toString().replaceFirst("\\.json$", "");
            runs.add(run(name, parse(Files.readString(other, StandardCharsets.UTF_8), other)));
        }
        String page = Page.render("bench.html", "upcase bench: " + label, runs);
        try {
            Files.writeString(file, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write the report " + file + ": " + e, e);
        }
    }

    private static Map<String, Object> run(String label, Map<?, ?> data) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("label", label);
        run.put("data", data);
        return run;
    }

    private static Map<?, ?> parse(String json, Path file) throws BadCompareFile {
        Object value;
        try {
            value = JsonReader.parse(json);
        } catch (JsonReader.Malformed e) {
            throw new BadCompareFile(file, "not JSON: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?> map) || !(map.get("scenario") instanceof String)) {
            throw new BadCompareFile(file, "no \"scenario\" in it");
        }
        return map;
    }
}
