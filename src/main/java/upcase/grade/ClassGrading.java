package upcase.grade;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Grades a class: each submission directory's program in turn, or {@code parallel} at a time
 * (each on ports of its own), one report per submission in {@code out} ({@code NAME.EXT}), and
 * the class summary there as {@code summary.txt}, {@code summary.csv} and {@code summary.html}
 * (a page linking to each report).
 */
public final class ClassGrading {
    public static final String SUMMARY_TEXT = "summary.txt";
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String SUMMARY_HTML = "summary.html";

    private final Grader grader;
    private final ReportFormat format;
    private final int parallel;

    public ClassGrading(Grader grader, ReportFormat format, int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        this.grader = grader;
        this.format = format;
        this.parallel = parallel;
    }

    /**
     * The names the submissions go by in reports: their directories' names, which must differ.
     *
     * @throws IllegalArgumentException naming the two directories with the same name
     */
    public static Map<Path, String> names(List<Path> dirs) {
        Map<String, Path> seen = new HashMap<>();
        Map<Path, String> names = new LinkedHashMap<>();
        for (Path dir : dirs) {
            Path file = dir.toAbsolutePath().normalize().getFileName();
            String name = file == null ? "root" : file.toString();
            Path other = seen.put(name, dir);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + dir + " have the same name: their reports would collide");
            }
            names.put(dir, name);
        }
        return names;
    }

    /**
     * Grades every submission; {@code done} hears of each report as it is written (from the
     * grading threads, one call at a time).
     *
     * @throws IOException when a report or the summary cannot be written
     */
    public ClassSummary run(List<Path> dirs, Path out, Consumer<ClassSummary.Row> done) throws IOException, InterruptedException {
        Map<Path, String> names = names(dirs);
        Files.createDirectories(out);
        List<Future<ClassSummary.Row>> futures = new ArrayList<>();
        // Platform threads: each waits on a child process and its own probe's sockets; N is small.
        ExecutorService pool = Executors.newFixedThreadPool(parallel, Thread.ofPlatform().name("upcase-grade-", 0).factory());
        try {
            for (Path dir : dirs) {
                futures.add(pool.submit(() -> {
                    ClassSummary.Row row = gradeOne(names.get(dir), dir, out);
                    synchronized (this) { // one report at a time to the listener
                        done.accept(row);
                    }
                    return row;
                }));
            }
            List<ClassSummary.Row> rows = new ArrayList<>();
            for (Future<ClassSummary.Row> f : futures) {
                rows.add(get(f));
            }
            ClassSummary summary = new ClassSummary(rows);
            Files.writeString(out.resolve(SUMMARY_TEXT), summary.text(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve(SUMMARY_CSV), summary.csv(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve(SUMMARY_HTML), SummaryPage.render(summary, format.extension()), StandardCharsets.UTF_8);
            return summary;
        } finally {
            // Interrupted (Ctrl-C): the running gradings stop their programs in their finally blocks.
            pool.shutdownNow();
        }
    }

    private ClassSummary.Row gradeOne(String name, Path dir, Path out) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            return new ClassSummary.Row(name, "", "", List.of(), "not graded: " + dir + " is not a directory");
        }
        Graded graded;
        try {
            graded = grader.grade(name, dir, Grader.Progress.NONE);
        } catch (IOException e) {
            return new ClassSummary.Row(name, "", "", List.of(), "not graded: " + e.getMessage());
        }
        Files.writeString(out.resolve(name + "." + format.extension()), format.render(graded), StandardCharsets.UTF_8);
        return ClassSummary.Row.of(graded);
    }

    private static ClassSummary.Row get(Future<ClassSummary.Row> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("grading failed: " + e.getCause(), e.getCause());
        }
    }
}
