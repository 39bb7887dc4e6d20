package upcase.bench;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * {@code upcase bench merge FILE...}: the histogram logs of several generators
 * ({@code --histogram-log}) as one report. Percentiles come from one histogram holding every
 * interval of every log (an average of percentiles is not a percentile); the rate is the
 * replies over the union of the logs' time ranges, from the earliest interval start to the
 * latest interval end. Counts that are not latencies (sent, errors, ...) come from each log's
 * {@value IntervalLog#TOTALS} line and are summed. Logs from HdrHistogram's other writers merge
 * too: without that line, only the latency figures are reported.
 */
public final class LogMerge {
    /** A second's bucket in the merged time series, by the interval's start. */
    private static final long SECOND_MS = 1000;

    private LogMerge() {}

    /** A log that cannot be read as an HdrHistogram interval log: one line, naming the file. */
    public static final class MalformedLog extends IOException {
        MalformedLog(Path file, String why) {
            super(file + ": not an HdrHistogram interval log (" + why + ")");
        }
    }

    /** One log's contents. */
    private record Log(Path file, List<Histogram> main, List<Histogram> raw, Map<String, Long> totals, String title) {}

    public static Report merge(List<Path> files) throws IOException {
        List<Log> logs = new ArrayList<>();
        for (Path file : files) {
            logs.add(read(file));
        }
        Histogram main = new Histogram(1, Loop.HIGHEST, 3);
        Histogram raw = new Histogram(1, Loop.HIGHEST, 3);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        TreeMap<Long, Histogram> seconds = new TreeMap<>();
        for (Log log : logs) {
            for (Histogram h : log.main()) {
                main.add(h);
                first = Math.min(first, h.getStartTimeStamp());
                last = Math.max(last, h.getEndTimeStamp());
            }
            log.raw().forEach(raw::add);
        }
        for (Log log : logs) {
            for (Histogram h : log.main()) {
                seconds.computeIfAbsent((h.getStartTimeStamp() - first) / SECOND_MS,
                        k -> new Histogram(1, Loop.HIGHEST, 3)).add(h);
            }
        }
        double duration = (last - first) / 1e3;

        Set<String> sources = new LinkedHashSet<>();
        logs.forEach(l -> sources.add(l.title()));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("generators", logs.size());
        params.put("files", files.stream().map(Path::toString).toList());
        params.put("runs", List.copyOf(sources));
        Report r = new Report("merge", String.join(", ", sources), params);
        long replies = main.getTotalCount();
        double perSecond = duration > 0 ? replies / duration : 0;
        r.put("duration_s", Report.round(duration, 3));
        r.put("replies", replies);
        r.put("replies_per_s", Report.round(perSecond, 1));
        r.put("latency_us", Report.latencyMicros(main));
        r.distribution(main, raw.getTotalCount() > 0 ? raw : null);
        r.put("samples", samples(seconds));
        r.row("generators", logs.size() + " logs, intervals from " + Report.decimal(duration, 2)
                + " s (earliest start to latest end)");
        r.row("replies", Report.count(replies) + "   " + Report.decimal(perSecond, 1) + "/s over that time");
        r.row("latency (us)", Report.latencyRow(main) + " (one histogram of every interval)");
        if (raw.getTotalCount() > 0) {
            r.row("uncorrected", Report.latencyRow(raw) + " (from when each line left)");
        }

        List<Path> without = logs.stream().filter(l -> l.totals() == null).map(Log::file).toList();
        if (without.isEmpty()) {
            Map<String, Long> sum = new LinkedHashMap<>();
            for (Log log : logs) {
                log.totals().forEach((k, v) -> sum.merge(k, v, Long::sum));
            }
            long sent = sum.getOrDefault("sent", 0L);
            r.put("sent", sent);
            r.put("verified", sum.getOrDefault("verified", 0L));
            r.row("sent", Report.count(sent) + " (whole runs; " + Report.count(sum.getOrDefault("verified", 0L))
                    + " replies checked right)");
            r.counts(sum.getOrDefault("errors", 0L), sum.getOrDefault("mismatches", 0L),
                    sum.getOrDefault("resets", 0L), sum.getOrDefault("lost", 0L), sum.getOrDefault("late", 0L),
                    sum.getOrDefault("connect_failures", 0L));
            long lost = sum.getOrDefault("lost", 0L);
            if (lost > 0) {
                r.put("loss_percent", Report.round(sent == 0 ? 0 : 100.0 * lost / sent, 3));
            }
            r.row("errors", "errors " + Report.count((Long) r.get("errors")) + "   mismatches "
                    + Report.count((Long) r.get("mismatches")) + "   resets " + Report.count((Long) r.get("resets"))
                    + "   connect failures " + Report.count((Long) r.get("connect_failures"))
                    + (lost > 0 ? "   lost " + Report.count(lost) + ", late " + Report.count((Long) r.get("late")) : ""));
        } else {
            r.row("counts", "not reported: no " + IntervalLog.TOTALS + " line in " + without);
        }
        r.put("problems", Map.of());
        return r;
    }

    private static Log read(Path file) throws IOException {
        List<Histogram> main = new ArrayList<>();
        List<Histogram> raw = new ArrayList<>();
        try {
            HistogramLogReader reader = new HistogramLogReader(file.toFile());
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                if (!(e instanceof Histogram h)) {
                    throw new MalformedLog(file, "holds a DoubleHistogram; latencies are integer nanoseconds");
                }
                if (IntervalLog.RAW.equals(h.getTag())) {
                    raw.add(h);
                } else if (h.getTag() == null || IntervalLog.CORRECTED.equals(h.getTag())) {
                    main.add(h);
                }
            }
        } catch (FileNotFoundException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new MalformedLog(file, Loop.describe(e));
        }
        if (main.isEmpty()) {
            throw new MalformedLog(file, "no latency intervals in it");
        }
        Map<String, Long> totals = null;
        String title = file.getFileName().toString();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.startsWith(IntervalLog.TOTALS + " ")) {
                totals = totals(file, line);
            } else if (line.startsWith("#upcase bench ") && line.contains(": latencies")) {
                title = line.substring("#upcase bench ".length(), line.lastIndexOf(": latencies"));
            }
        }
        return new Log(file, main, raw, totals, title);
    }

    private static Map<String, Long> totals(Path file, String line) throws MalformedLog {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String field : line.substring(IntervalLog.TOTALS.length() + 1).split(" ")) {
            int eq = field.indexOf('=');
            try {
                totals.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
            } catch (RuntimeException e) {
                throw new MalformedLog(file, "bad count '" + field + "' in its " + IntervalLog.TOTALS + " line");
            }
        }
        return totals;
    }

    /** The merged time series: per second of the union, the replies and that second's p99. */
    private static Map<String, Object> samples(TreeMap<Long, Histogram> seconds) {
        List<Object> t = new ArrayList<>();
        List<Object> rate = new ArrayList<>();
        List<Object> p99 = new ArrayList<>();
        if (!seconds.isEmpty()) {
            for (long s = 0; s <= seconds.lastKey(); s++) {
                Histogram h = seconds.get(s);
                t.add((double) s + 1);
                rate.add(h == null ? 0 : h.getTotalCount());
                p99.add(h == null || h.getTotalCount() == 0 ? null : Report.micros(h.getValueAtPercentile(99)));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t_s", t);
        m.put("replies_per_s", rate);
        m.put("p99_us", p99);
        return m;
    }
}
