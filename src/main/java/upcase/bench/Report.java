package upcase.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.HdrHistogram.Histogram;

/**
 * A run's figures: a table for people and the same figures as JSON for scripts. Each scenario
 * puts its figures in order; anything that makes the run fail ({@link #fail}) is named in both.
 */
public final class Report {
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final String title;
    private final Map<String, Object> params;

    Report(String scenario, String target, Map<String, Object> params) {
        this.title = "upcase bench " + scenario + " " + target;
        this.params = params;
        figures.put("scenario", scenario);
        figures.put("target", target);
        figures.put("params", params);
    }

    /** A figure for the JSON only. */
    Report put(String key, Object value) {
        figures.put(key, value);
        return this;
    }

    /** A row of the table. */
    Report row(String label, String value) {
        rows.add(new String[] {label, value});
        return this;
    }

    /** The run failed, for this reason (exit 1). */
    Report fail(String reason) {
        failures.add(reason);
        return this;
    }

    /** Whether anything made the run fail: then the command exits 1. */
    public boolean failed() {
        return !failures.isEmpty();
    }

    /** One figure, as it appears in the JSON. */
    public Object get(String key) {
        return figures.get(key);
    }

    /** The figures every timed run has (tcp, udp, connect). */
    Report measured(Measure.Outcome o) {
        long replies = o.window(Count.REPLIES);
        double perSecond = o.seconds() > 0 ? replies / o.seconds() : 0;
        double megabytes = o.seconds() > 0 ? o.window(Count.REPLY_BYTES) / 1e6 / o.seconds() : 0;
        put("duration_s", round(o.seconds(), 3));
        put("replies", replies);
        put("replies_per_s", round(perSecond, 1));
        put("mb_per_s", round(megabytes, 3));
        put("latency_us", latencyMicros(o.latency()));
        put("sent", o.total(Count.SENT));
        put("verified", o.total(Count.REPLIES));
        counts(o.total(Count.ERRORS), o.total(Count.MISMATCHES), o.total(Count.RESETS), o.total(Count.LOST),
                o.total(Count.LATE), o.total(Count.CONNECT_FAILURES));
        distribution(o.latency(), o.rawLatency());
        samples(o.samples());
        row("window", String.format(Locale.ROOT, "%.2f s", o.seconds()));
        row("replies", count(replies) + "   " + decimal(perSecond, 1) + "/s");
        row("throughput", decimal(megabytes, 2) + " MB/s of replies");
        row("latency (us)", latencyRow(o.latency()));
        row("sent", count(o.total(Count.SENT)) + " (whole run; " + count(o.total(Count.REPLIES)) + " replies checked right)");
        return this;
    }

    /**
     * {@code latency_percentiles}: the latency at percentiles spread evenly over HdrHistogram's
     * log-scaled percentile axis (see {@link #percentilePoints}), for the report's chart; with a
     * rate also the uncorrected latencies ({@code raw_latency_us}). Null when nothing was recorded.
     */
    Report distribution(Histogram latency, Histogram raw) {
        if (latency == null || latency.getTotalCount() == 0) {
            put("latency_percentiles", null);
            return this;
        }
        List<Double> points = percentilePoints(latency.getTotalCount());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("percentile", points);
        m.put("latency_us", valuesAt(latency, points));
        if (raw != null && raw.getTotalCount() > 0) {
            m.put("raw_latency_us", valuesAt(raw, points));
        }
        put("latency_percentiles", m);
        return this;
    }

    /** {@code samples}: the progress seconds, one array per figure (warm-up seconds included, flagged). */
    Report samples(List<Sample> samples) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t_s", samples.stream().map(x -> (Object) round(x.seconds(), 3)).toList());
        m.put("warmup", samples.stream().map(x -> (Object) x.warmup()).toList());
        m.put("replies_per_s", samples.stream().map(x -> (Object) round(x.repliesPerSecond(), 1)).toList());
        m.put("p99_us", samples.stream().map(x -> x.p99Nanos() < 0 ? null : (Object) micros(x.p99Nanos())).toList());
        m.put("errors", samples.stream().map(x -> (Object) x.errors()).toList());
        m.put("lost", samples.stream().map(x -> (Object) x.lost()).toList());
        m.put("late", samples.stream().map(x -> (Object) x.late()).toList());
        put("samples", m);
        return this;
    }

    /**
     * Percentiles whose x = 1/(1-p) steps 1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8 per decade (so
     * 50%, 90%, 99%, 99.9% ... are among them), up to where the count still has a sample past them.
     */
    static List<Double> percentilePoints(long count) {
        double[] steps = {1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8};
        List<Double> points = new ArrayList<>();
        for (double decade = 1; decade <= 1e7; decade *= 10) {
            for (double step : steps) {
                double x = step * decade;
                if (x > Math.max(2, count)) {
                    return points;
                }
                points.add(round(100 * (1 - 1 / x), 7));
            }
        }
        return points;
    }

    private static List<Object> valuesAt(Histogram h, List<Double> percentiles) {
        return percentiles.stream().map(p -> (Object) micros(h.getValueAtPercentile(p))).toList();
    }

    /** Error figures, all of them always present; any error, mismatch, reset or failed connect fails the run. */
    Report counts(long errors, long mismatches, long resets, long lost, long late, long connectFailures) {
        put("errors", errors);
        put("mismatches", mismatches);
        put("resets", resets);
        put("lost", lost);
        put("late", late);
        put("connect_failures", connectFailures);
        if (mismatches > 0) {
            fail(count(mismatches) + " mismatched replies");
        }
        if (errors > 0) {
            fail(count(errors) + " errors");
        }
        if (resets > 0) {
            fail(count(resets) + " resets");
        }
        if (connectFailures > 0) {
            fail(count(connectFailures) + " failed connects");
        }
        return this;
    }

    /** Last: the load generator's own CPU use, and what went wrong, by message. */
    Report finish(double cpuPercent, Problems problems) {
        put("generator_cpu_percent", round(cpuPercent, 1));
        Map<String, Long> seen = problems.snapshot();
        put("problems", seen);
        row("errors", "errors " + count((Long) figures.get("errors")) + "   mismatches " + count((Long) figures.get("mismatches"))
                + "   resets " + count((Long) figures.get("resets")) + "   connect failures "
                + count((Long) figures.get("connect_failures")));
        for (Map.Entry<String, Long> e : seen.entrySet()) {
            row("", count(e.getValue()) + " x " + e.getKey());
        }
        row("generator cpu", decimal(cpuPercent, 1) + "% of one core");
        return this;
    }

    /** Every figure, machine-readable. */
    public String json() {
        Map<String, Object> all = new LinkedHashMap<>(figures);
        all.put("result", failed() ? "failed" : "ok");
        all.put("failures", List.copyOf(failures));
        return Json.write(all);
    }

    /** The summary for people. */
    public String table() {
        StringBuilder out = new StringBuilder(title).append('\n');
        StringJoiner p = new StringJoiner(", ", "  ", "\n");
        params.forEach((k, v) -> p.add(k + " " + (v == null ? "-" : v)));
        out.append(p);
        for (String[] row : rows) {
            out.append(String.format(Locale.ROOT, "  %-16s %s%n", row[0], row[1]));
        }
        out.append(String.format(Locale.ROOT, "  %-16s %s%n", "result",
                failed() ? "FAILED: " + String.join(", ", failures) : "OK"));
        return out.toString();
    }

    /** p50, p90, p99, p99.9, max and mean, in microseconds; null when nothing was recorded. */
    static Map<String, Object> latencyMicros(Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", micros(h.getValueAtPercentile(50)));
        m.put("p90", micros(h.getValueAtPercentile(90)));
        m.put("p99", micros(h.getValueAtPercentile(99)));
        m.put("p99_9", micros(h.getValueAtPercentile(99.9)));
        m.put("max", micros(h.getMaxValue()));
        m.put("mean", round(h.getMean() / 1e3, 1));
        m.put("count", h.getTotalCount());
        return m;
    }

    static String latencyRow(Histogram h) {
        Map<String, Object> m = latencyMicros(h);
        if (m == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "p50 %s   p90 %s   p99 %s   p99.9 %s   max %s", m.get("p50"), m.get("p90"),
                m.get("p99"), m.get("p99_9"), m.get("max"));
    }

    static double micros(long nanos) {
        return round(nanos / 1e3, 1);
    }

    static double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return value;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String decimal(double d, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", d);
    }

    /** A latency for a progress line: {@code 41.3us}, {@code 2.41ms}, {@code 1.20s}. */
    static String latency(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fus", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }

    /** A duration for a message: {@code 10s}, {@code 500ms}. */
    static String duration(long nanos) {
        long millis = nanos / 1_000_000;
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
