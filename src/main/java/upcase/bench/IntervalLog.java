package upcase.bench;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * {@code --histogram-log FILE}: the measured window's latencies as an HdrHistogram interval log
 * (HdrHistogram's own format, written by its {@link HistogramLogWriter}), one interval per
 * progress second, so that HdrHistogram's tools ({@code HistogramLogProcessor}) and
 * {@code upcase bench merge} can combine the logs of several generators. Without a rate each
 * interval is untagged; with one, the coordinated-omission-corrected histogram is tagged
 * {@value #CORRECTED} and the uncorrected one {@value #RAW}. Timestamps are absolute (epoch
 * milliseconds, from a {@code #[BaseTime]} header), so that logs from different machines line up.
 * The last line is a comment carrying the run's counts ({@value #TOTALS} ...), which merge sums.
 * Called by the reporting thread only.
 */
final class IntervalLog implements AutoCloseable {
    static final String CORRECTED = "corrected";
    static final String RAW = "raw";
    /** The comment that carries the run's counts: {@code #upcase-totals sent=... errors=...}. */
    static final String TOTALS = "#upcase-totals";

    /** The counts a log's last line carries, by their JSON names. */
    static final Map<String, Count> TOTAL_KEYS = totalKeys();

    private final PrintStream out;
    private final HistogramLogWriter writer;
    private final Path file;
    /** System.nanoTime minus epoch nanoseconds, taken once: intervals are timed with nanoTime. */
    private final long nanoOffset;

    private IntervalLog(Path file, PrintStream out) {
        this.file = file;
        this.out = out;
        this.writer = new HistogramLogWriter(out);
        this.nanoOffset = System.nanoTime() - System.currentTimeMillis() * 1_000_000L;
    }

    /** Creates FILE (replacing it) and writes the header; fails with one line if it cannot. */
    static IntervalLog open(Path file, String scenario, String target) throws IOException {
        PrintStream out;
        try {
            out = new PrintStream(file.toFile(), StandardCharsets.US_ASCII);
        } catch (FileNotFoundException | SecurityException e) {
            throw new IOException("cannot write the histogram log " + file + ": " + e.getMessage());
        }
        IntervalLog log = new IntervalLog(file, out);
        long now = System.currentTimeMillis();
        log.writer.outputComment("upcase bench " + scenario + " " + target
                + ": latencies in nanoseconds, one interval per second of the measured window");
        log.writer.outputLogFormatVersion();
        log.writer.outputStartTime(now);
        log.writer.setBaseTime(now);
        log.writer.outputBaseTime(now);
        log.writer.outputLegend();
        return log;
    }

    /** Epoch milliseconds of a System.nanoTime reading. */
    long epochMillis(long nanoTime) {
        return Math.floorDiv(nanoTime - nanoOffset, 1_000_000L);
    }

    /**
     * One interval, from {@code start} to {@code end} (System.nanoTime): {@code raw} is null
     * without a rate (then {@code latency} goes untagged).
     */
    void interval(long start, long end, Histogram latency, Histogram raw) {
        write(start, end, latency, raw == null ? null : CORRECTED);
        if (raw != null) {
            write(start, end, raw, RAW);
        }
    }

    private void write(long start, long end, Histogram h, String tag) {
        h.setStartTimeStamp(epochMillis(start));
        h.setEndTimeStamp(epochMillis(end));
        h.setTag(tag);
        writer.outputIntervalHistogram(h);
    }

    /**
     * The run's counts over the whole run, as the last line, named as in the JSON report
     * ({@code sent=... verified=... errors=...}; {@code counts} by {@link Count#ordinal()}).
     */
    void totals(long[] counts) {
        StringJoiner line = new StringJoiner(" ", TOTALS + " ", "");
        for (Map.Entry<String, Count> e : TOTAL_KEYS.entrySet()) {
            line.add(e.getKey() + "=" + counts[e.getValue().ordinal()]);
        }
        out.println(line);
    }

    private static Map<String, Count> totalKeys() {
        Map<String, Count> keys = new LinkedHashMap<>();
        keys.put("sent", Count.SENT);
        keys.put("verified", Count.REPLIES);
        keys.put("errors", Count.ERRORS);
        keys.put("mismatches", Count.MISMATCHES);
        keys.put("resets", Count.RESETS);
        keys.put("lost", Count.LOST);
        keys.put("late", Count.LATE);
        keys.put("connect_failures", Count.CONNECT_FAILURES);
        return Collections.unmodifiableMap(keys);
    }

    @Override
    public void close() throws IOException {
        out.close();
        if (out.checkError()) {
            throw new IOException("could not write the histogram log " + file);
        }
    }
}
